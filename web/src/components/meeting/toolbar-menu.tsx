'use client';

import {
  createContext,
  type KeyboardEvent as ReactKeyboardEvent,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import { createPortal } from 'react-dom';

/**
 * The room toolbar's overflow ("More") menu. Below laptop width the full set of controls does
 * not fit on one row, so secondary controls (screen share, reactions, recording, host controls)
 * render themselves into this menu instead of inline. The controls stay owned by their own
 * components (which may live in other layers: realtime, host); they only choose where to render
 * through `useToolbarMenu()` / `<InToolbarMenu>`, so their state survives the move.
 */

/**
 * Below this width the full labelled toolbar (~1,220 px for a host while recording) would wrap:
 * phones, tablets and small laptop windows get the one-row toolbar with the More menu. Same
 * breakpoint as the toolbar rules in meeting.css.
 */
const COMPACT_QUERY = '(max-width: 1240px)';

function subscribeCompact(listener: () => void) {
  const query = window.matchMedia(COMPACT_QUERY);
  query.addEventListener('change', listener);
  return () => query.removeEventListener('change', listener);
}
const isCompactNow = () => window.matchMedia(COMPACT_QUERY).matches;

/**
 * Sections of the menu, in display order. Controls mount at different times (screen share once
 * LiveKit has our permissions, recording once the realtime link says we are host), so each
 * layer renders into its own section and the order stays fixed whatever mounts first.
 */
export type TToolbarMenuSlot = 'media' | 'realtime' | 'host';
const SLOTS: readonly TToolbarMenuSlot[] = ['media', 'realtime', 'host'];
type TSlotElements = Partial<Record<TToolbarMenuSlot, HTMLElement>>;

interface TToolbarMenuContext {
  /** True when secondary controls belong in the More menu. */
  isCompact: boolean;
  /** True while the menu is showing. */
  isOpen: boolean;
  /** The menu's sections (always mounted at phone width, hidden with the menu when closed). */
  slots: TSlotElements;
  close: () => void;
}

const ToolbarMenuContext = createContext<TToolbarMenuContext>({
  isCompact: false,
  isOpen: false,
  slots: {},
  close: () => {},
});

export function useToolbarMenu(): TToolbarMenuContext {
  return useContext(ToolbarMenuContext);
}

/** Renders `children` into a section of the More menu when the toolbar is compact, else nothing. */
export function InToolbarMenu({ slot, children }: { slot: TToolbarMenuSlot; children: ReactNode }) {
  const { isCompact, slots } = useToolbarMenu();
  const target = slots[slot];
  return isCompact && target ? createPortal(children, target) : null;
}

const ITEM_SELECTOR = '[role="menuitem"]:not([disabled])';

/**
 * Provides the menu to the toolbar's controls and renders the More button (a WAI-ARIA menu
 * button) where `<ToolbarMoreButton />` is placed. Keyboard: Enter/Space/ArrowDown open on the
 * first item, ArrowUp on the last; arrows, Home and End move; Escape closes and returns focus;
 * Tab and a click outside close. Choosing an item closes it, except items marked
 * `data-submenu="true"`, which unfold a group of further items inside the menu.
 */
export function ToolbarMenuProvider({ children }: { children: ReactNode }) {
  const isCompact = useSyncExternalStore(subscribeCompact, isCompactNow, () => false);
  const [isOpen, setIsOpen] = useState(false);
  const [slots, setSlots] = useState<TSlotElements>({});
  const close = useCallback(() => setIsOpen(false), []);
  const setSlot = useCallback((slot: TToolbarMenuSlot, element: HTMLElement | null) => {
    setSlots((current) =>
      current[slot] === (element ?? undefined) ? current : { ...current, [slot]: element ?? undefined },
    );
  }, []);
  useEffect(() => {
    if (!isCompact) setIsOpen(false);
  }, [isCompact]);
  const value = useMemo(() => ({ isCompact, isOpen, slots, close }), [isCompact, isOpen, slots, close]);
  const state = useMemo(() => ({ setIsOpen, setSlot }), [setSlot]);
  return (
    <ToolbarMenuContext.Provider value={value}>
      <MenuStateContext.Provider value={state}>{children}</MenuStateContext.Provider>
    </ToolbarMenuContext.Provider>
  );
}

const MenuStateContext = createContext<{
  setIsOpen: (open: boolean | ((open: boolean) => boolean)) => void;
  setSlot: (slot: TToolbarMenuSlot, element: HTMLElement | null) => void;
}>({ setIsOpen: () => {}, setSlot: () => {} });

/** The More button and its menu; renders nothing on wide screens. */
export function ToolbarMoreButton() {
  const { isCompact, isOpen } = useToolbarMenu();
  const { setIsOpen, setSlot } = useContext(MenuStateContext);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLDivElement | null>(null);
  // Which item gets focus once the menu has rendered open: keyboard users land inside it.
  const focusOnOpen = useRef<'first' | 'last'>('first');
  const menuId = useId();

  // Items of a closed submenu are in the DOM but hidden: skip them.
  const items = useCallback(
    () =>
      [...(list.current?.querySelectorAll<HTMLElement>(ITEM_SELECTOR) ?? [])].filter(
        (item) => !item.closest('[hidden]'),
      ),
    [],
  );
  const closeAndReturn = useCallback(() => {
    setIsOpen(false);
    button.current?.focus();
  }, [setIsOpen]);

  useEffect(() => {
    if (!isOpen) return;
    const all = items();
    (focusOnOpen.current === 'last' ? all.at(-1) : all[0])?.focus();
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setIsOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [isOpen, setIsOpen, items]);

  // Native listeners on the menu element: the items are portalled in from other components, and
  // React bubbles their events through *those* components, never through this element's props.
  useEffect(() => {
    const menu = list.current;
    if (!isCompact || !menu) return;
    const onKey = (event: KeyboardEvent) => {
      const all = items();
      const at = all.indexOf(document.activeElement as HTMLElement);
      const move = (index: number) => {
        event.preventDefault();
        all[(index + all.length) % all.length]?.focus();
      };
      if (event.key === 'ArrowDown') move(at + 1);
      else if (event.key === 'ArrowUp') move(at < 0 ? -1 : at - 1);
      else if (event.key === 'Home') move(0);
      else if (event.key === 'End') move(-1);
      else if (event.key === 'Escape') {
        event.preventDefault();
        closeAndReturn();
      } else if (event.key === 'Tab') setIsOpen(false);
    };
    const onClick = (event: MouseEvent) => {
      const item = (event.target as Element).closest('[role="menuitem"]');
      if (item && item.getAttribute('data-submenu') !== 'true') closeAndReturn();
    };
    menu.addEventListener('keydown', onKey);
    menu.addEventListener('click', onClick);
    return () => {
      menu.removeEventListener('keydown', onKey);
      menu.removeEventListener('click', onClick);
    };
  }, [isCompact, items, closeAndReturn, setIsOpen]);

  if (!isCompact) return null;

  function open(at: 'first' | 'last') {
    focusOnOpen.current = at;
    setIsOpen(true);
  }

  function onButtonKey(event: ReactKeyboardEvent) {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      open(event.key === 'ArrowUp' ? 'last' : 'first');
    }
  }

  return (
    <div className="cv-more" ref={root}>
      <button
        ref={button}
        type="button"
        className="lk-button cv-more-button"
        data-testid="toolbar-more"
        aria-haspopup="menu"
        aria-expanded={isOpen}
        aria-controls={menuId}
        aria-label="More controls"
        onClick={() => (isOpen ? setIsOpen(false) : open('first'))}
        onKeyDown={onButtonKey}
      >
        <MoreIcon />
      </button>
      {/* Always mounted so the controls portalled into it keep their state while it is closed. */}
      <div
        ref={list}
        id={menuId}
        role="menu"
        aria-label="More controls"
        className="cv-more-menu"
        data-testid="toolbar-more-menu"
        hidden={!isOpen}
      >
        {SLOTS.map((slot) => (
          <MenuSlot key={slot} slot={slot} setSlot={setSlot} />
        ))}
      </div>
    </div>
  );
}

/** A presentational wrapper (`display: contents`): its items count as the menu's own. */
function MenuSlot({
  slot,
  setSlot,
}: {
  slot: TToolbarMenuSlot;
  setSlot: (slot: TToolbarMenuSlot, element: HTMLElement | null) => void;
}) {
  const ref = useCallback((element: HTMLDivElement | null) => setSlot(slot, element), [slot, setSlot]);
  return <div ref={ref} role="none" className="cv-more-slot" data-slot={slot} />;
}

function MoreIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 24 24" fill="currentColor" aria-hidden="true">
      <circle cx="5" cy="12" r="2" />
      <circle cx="12" cy="12" r="2" />
      <circle cx="19" cy="12" r="2" />
    </svg>
  );
}
