'use client';

import { useSyncExternalStore } from 'react';

/**
 * UI state of the realtime side panel, shared by the panel (tabs) and the toolbar (toggle,
 * unread badge). On phones the panel is a full-screen sheet, closed by default.
 */
export type TPanelTab = 'chat' | 'people';
export interface TPanelState {
  isOpen: boolean;
  tab: TPanelTab;
  /** Highest chat seq the user has had in view; messages above it from others count as unread. */
  seenSeq: number;
}

const PHONE_QUERY = '(max-width: 600px)';

function isPhoneNow(): boolean {
  return typeof window !== 'undefined' && window.matchMedia(PHONE_QUERY).matches;
}

let state: TPanelState = { isOpen: !isPhoneNow(), tab: 'chat', seenSeq: 0 };
const listeners = new Set<() => void>();

function set(patch: Partial<TPanelState>) {
  const next = { ...state, ...patch };
  if (next.isOpen === state.isOpen && next.tab === state.tab && next.seenSeq === state.seenSeq) return;
  state = next;
  for (const l of listeners) l();
}

export const panelStore = {
  get: () => state,
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  /** Opens on `tab`, or closes when that tab is already showing. */
  toggle(tab: TPanelTab) {
    set(state.isOpen && state.tab === tab ? { isOpen: false } : { isOpen: true, tab });
  },
  show(tab: TPanelTab) {
    set({ isOpen: true, tab });
  },
  close() {
    set({ isOpen: false });
  },
  markSeen(seq: number) {
    if (seq > state.seenSeq) set({ seenSeq: seq });
  },
  /** A new meeting starts with a fresh panel (closed on phones). */
  reset() {
    set({ isOpen: !isPhoneNow(), tab: 'chat', seenSeq: 0 });
  },
};

export function usePanelState(): TPanelState {
  return useSyncExternalStore(panelStore.subscribe, panelStore.get, panelStore.get);
}

function subscribePhone(listener: () => void) {
  const query = window.matchMedia(PHONE_QUERY);
  query.addEventListener('change', listener);
  return () => query.removeEventListener('change', listener);
}

/** True at phone width (the panel is a full-screen sheet there). */
export function useIsPhone(): boolean {
  return useSyncExternalStore(subscribePhone, isPhoneNow, () => false);
}
