'use client';

import { REACTION_EMOJIS } from '@convene/api/reactions/schemas';
import type { TReaction } from '@convene/api/realtime/contract';
import { useEffect, useId, useRef, useState } from 'react';
import { InToolbarMenu, useToolbarMenu } from '@/components/meeting/toolbar-menu';
import type { TRealtimeClient } from '@/lib/realtime/client';
import { SmileIcon } from './icons';

const FLOAT_MS = 3200;

type TFloat = { id: string; emoji: string; name: string; left: number };

/**
 * Toolbar button with a small picker of the server's allowed reactions. In the compact toolbar
 * (phones) it is an item of the More menu that unfolds the emoji as a group of menu items instead.
 */
export function ReactionPicker({ client }: { client: TRealtimeClient | null }) {
  const { isCompact, isOpen: isMenuOpen } = useToolbarMenu();
  const [isOpen, setIsOpen] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);
  const submenuId = useId();

  // Inline picker: its own outside-click and Escape (the More menu handles those for the submenu).
  useEffect(() => {
    if (!isOpen || isCompact) return;
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setIsOpen(false);
    };
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && setIsOpen(false);
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [isOpen, isCompact]);

  // The emoji group starts folded each time the More menu opens.
  useEffect(() => {
    if (!isMenuOpen) setIsOpen(false);
  }, [isMenuOpen]);
  // Unfolded from the More menu: move into the emoji so arrows and Enter act on them.
  useEffect(() => {
    if (isCompact && isOpen) document.getElementById(submenuId)?.querySelector('button')?.focus();
  }, [isCompact, isOpen, submenuId]);

  async function send(emoji: (typeof REACTION_EMOJIS)[number]) {
    if (!client) return;
    const result = await client.sendReaction(emoji);
    if (!result.ok) {
      setNotice(result.error.code === 'RATE_LIMITED' ? 'Slow down a little' : result.error.message);
      setTimeout(() => setNotice(null), 2000);
    }
  }

  const options = REACTION_EMOJIS.map((emoji) => (
    <button
      key={emoji}
      type="button"
      role="menuitem"
      className="cv-rt-emoji"
      data-testid="reaction-option"
      data-emoji={emoji}
      onClick={() => {
        setIsOpen(false);
        void send(emoji);
      }}
    >
      {emoji}
    </button>
  ));
  const noticeLine = notice && (
    <span className="cv-rt-picker-notice" role="status">
      {notice}
    </span>
  );

  if (isCompact) {
    return (
      <>
        <InToolbarMenu slot="realtime">
          <button
            type="button"
            role="menuitem"
            className="cv-more-item"
            data-testid="reaction-button"
            data-submenu="true"
            aria-expanded={isOpen}
            aria-controls={submenuId}
            disabled={!client}
            onClick={() => setIsOpen((open) => !open)}
          >
            <span className="cv-more-item-icon">
              <SmileIcon />
            </span>
            React
          </button>
          {/* biome-ignore lint/a11y/useSemanticElements: menu items, not form fields: a fieldset would be wrong here. */}
          <div
            id={submenuId}
            className="cv-more-group cv-rt-reaction-picker"
            role="group"
            aria-label="Send a reaction"
            hidden={!isOpen}
          >
            {options}
          </div>
        </InToolbarMenu>
        {/* Outside the menu, which closes as soon as an emoji is chosen; placed over the toolbar. */}
        {noticeLine}
      </>
    );
  }

  return (
    <div className="cv-rt-popover-anchor" ref={root}>
      <button
        type="button"
        className="lk-button cv-rt-tool"
        data-testid="reaction-button"
        aria-haspopup="true"
        aria-expanded={isOpen}
        disabled={!client}
        onClick={() => setIsOpen((open) => !open)}
      >
        <span className="cv-rt-tool-icon">
          <SmileIcon />
        </span>
        <span className="cv-rt-tool-label">React</span>
      </button>
      {isOpen && (
        <div className="cv-rt-popover cv-rt-reaction-picker" role="menu" aria-label="Send a reaction">
          {options}
        </div>
      )}
      {noticeLine}
    </div>
  );
}

/** Reactions rising over the stage for a few seconds, with who sent them. */
export function ReactionsOverlay({ reactions }: { reactions: readonly TReaction[] }) {
  const seen = useRef(new Set<string>());
  const [floats, setFloats] = useState<TFloat[]>([]);

  useEffect(() => {
    const fresh: TFloat[] = [];
    for (const r of reactions) {
      const id = `${r.identity}|${r.at}|${r.emoji}`;
      if (seen.current.has(id)) continue;
      seen.current.add(id);
      fresh.push({ id, emoji: r.emoji, name: r.name, left: 8 + (hash(id) % 70) });
    }
    if (fresh.length === 0) return;
    setFloats((current) => [...current, ...fresh].slice(-30));
    const timer = setTimeout(() => {
      const ids = new Set(fresh.map((f) => f.id));
      setFloats((current) => current.filter((f) => !ids.has(f.id)));
    }, FLOAT_MS);
    return () => clearTimeout(timer);
  }, [reactions]);

  return (
    <div className="cv-rt-reactions" aria-hidden="true">
      {floats.map((f) => (
        <span key={f.id} className="cv-rt-float" data-testid="reaction-float" style={{ left: `${f.left}%` }}>
          <span className="cv-rt-float-emoji">{f.emoji}</span>
          <span className="cv-rt-float-name">{f.name}</span>
        </span>
      ))}
    </div>
  );
}

function hash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) >>> 0;
  return h;
}
