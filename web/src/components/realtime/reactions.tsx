'use client';

import { REACTION_EMOJIS } from '@convene/api/reactions/schemas';
import type { TReaction } from '@convene/api/realtime/contract';
import { useEffect, useRef, useState } from 'react';
import type { TRealtimeClient } from '@/lib/realtime/client';
import { SmileIcon } from './icons';

const FLOAT_MS = 3200;

type TFloat = { id: string; emoji: string; name: string; left: number };

/** Toolbar button with a small picker of the server's allowed reactions. */
export function ReactionPicker({ client }: { client: TRealtimeClient | null }) {
  const [isOpen, setIsOpen] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!isOpen) return;
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
  }, [isOpen]);

  async function send(emoji: (typeof REACTION_EMOJIS)[number]) {
    if (!client) return;
    const result = await client.sendReaction(emoji);
    if (!result.ok) {
      setNotice(result.error.code === 'RATE_LIMITED' ? 'Slow down a little' : result.error.message);
      setTimeout(() => setNotice(null), 2000);
    }
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
          {REACTION_EMOJIS.map((emoji) => (
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
          ))}
        </div>
      )}
      {notice && (
        <span className="cv-rt-picker-notice" role="status">
          {notice}
        </span>
      )}
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
