'use client';

import { MAX_CHAT_TEXT_LENGTH } from '@convene/api/chat/schemas';
import { type KeyboardEvent, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { TClientMessage, TRealtimeClient, TRealtimeSnapshot } from '@/lib/realtime/client';
import { linkify } from './linkify';
import { panelStore } from './panel-store';
import { TypingIndicator } from './typing-indicator';

/** Resend typing:start at most this often while the user keeps typing (the server counts 5 s). */
const TYPING_RESEND_MS = 3000;
/** Send typing:stop after this long without a keystroke. */
const TYPING_IDLE_MS = 2500;
/** Show the character counter from this length on. */
const COUNTER_FROM = Math.floor(MAX_CHAT_TEXT_LENGTH * 0.8);
/** Consecutive messages of one sender within this window share one header. */
const GROUP_WINDOW_MS = 2 * 60_000;

interface TChatPanelProps {
  client: TRealtimeClient | null;
  snapshot: TRealtimeSnapshot;
  /** The chat is on screen: new messages count as read. */
  isVisible: boolean;
}

/** Chat: history (older pages on scroll to top), live messages, offline queue states, composer. */
export function ChatPanel({ client, snapshot, isVisible }: TChatPanelProps) {
  const { messages, self, hasOlder } = snapshot;
  const listRef = useRef<HTMLOListElement>(null);
  const isNearBottom = useRef(true);
  const anchor = useRef<{ firstKey: string | undefined; height: number } | null>(null);
  const [isLoadingOlder, setIsLoadingOlder] = useState(false);

  const lastSeq = lastStoredSeq(messages);
  useEffect(() => {
    if (isVisible && lastSeq !== null) panelStore.markSeen(lastSeq);
  }, [isVisible, lastSeq]);

  // Keep the view pinned: to the bottom for new messages, to the same message when older ones load.
  const selfIdentity = self?.identity ?? null;
  const lastKey = messages.length ? messageKey(messages[messages.length - 1]!, selfIdentity) : undefined;
  const firstKey = messages.length ? messageKey(messages[0]!, selfIdentity) : undefined;
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-pin when a message is added or the tab is shown
  useLayoutEffect(() => {
    const list = listRef.current;
    if (!list) return;
    const saved = anchor.current;
    if (saved && saved.firstKey !== firstKey) {
      list.scrollTop += list.scrollHeight - saved.height;
      anchor.current = null;
      return;
    }
    const last = messages.at(-1);
    const isOwnNew = last !== undefined && last.state !== 'stored';
    if (isNearBottom.current || isOwnNew) list.scrollTop = list.scrollHeight;
  }, [firstKey, lastKey, messages, isVisible]);

  async function loadOlder() {
    const list = listRef.current;
    if (!client || !list || isLoadingOlder || !hasOlder) return;
    setIsLoadingOlder(true);
    anchor.current = { firstKey, height: list.scrollHeight };
    const loaded = await client.loadOlder();
    if (!loaded) anchor.current = null;
    setIsLoadingOlder(false);
  }

  function onScroll() {
    const list = listRef.current;
    if (!list) return;
    isNearBottom.current = list.scrollHeight - list.scrollTop - list.clientHeight < 48;
    if (list.scrollTop < 40) void loadOlder();
  }

  const isConnected = snapshot.status === 'connected';
  return (
    <section className="cv-rt-chat" data-testid="chat-panel" aria-label="Chat">
      <ol className="cv-rt-messages" ref={listRef} onScroll={onScroll} aria-live="polite">
        {hasOlder && (
          <li className="cv-rt-older">
            <button
              type="button"
              className="cv-rt-link-button"
              onClick={() => void loadOlder()}
              disabled={isLoadingOlder}
              data-testid="chat-load-older"
            >
              {isLoadingOlder ? 'Loading…' : 'Load earlier messages'}
            </button>
          </li>
        )}
        {messages.length === 0 && <li className="cv-rt-empty cv-muted">No messages yet. Say hello!</li>}
        {messages.map((message, index) => (
          <ChatMessage
            key={messageKey(message, selfIdentity)}
            message={message}
            previous={messages[index - 1]}
            selfIdentity={selfIdentity}
            selfName={self?.name ?? 'You'}
            isConnected={isConnected}
            onRetry={(clientId) => client?.retryMessage(clientId)}
          />
        ))}
      </ol>
      <TypingIndicator participants={snapshot.participants} selfIdentity={selfIdentity} />
      <Composer client={client} />
    </section>
  );
}

function ChatMessage({
  message,
  previous,
  selfIdentity,
  selfName,
  isConnected,
  onRetry,
}: {
  message: TClientMessage;
  previous: TClientMessage | undefined;
  selfIdentity: string | null;
  selfName: string;
  isConnected: boolean;
  onRetry: (clientId: string) => void;
}) {
  if (message.state === 'stored' && message.kind === 'system') {
    return (
      <li
        className="cv-rt-message cv-rt-system"
        data-testid="chat-message"
        data-seq={message.seq}
        data-state="sent"
        data-kind="system"
      >
        <span className="cv-rt-text">
          <MessageText text={message.text} />
        </span>
        <time dateTime={message.createdAt}>{formatTime(message.createdAt)}</time>
      </li>
    );
  }
  const isOwn = message.state !== 'stored' || message.senderIdentity === selfIdentity;
  const sender = message.state === 'stored' ? message.senderName : selfName;
  const senderKey = message.state === 'stored' ? message.senderIdentity : selfIdentity;
  const at = message.state === 'stored' ? Date.parse(message.createdAt) : message.queuedAt;
  const isContinuation =
    previous !== undefined &&
    !(previous.state === 'stored' && previous.kind === 'system') &&
    (previous.state === 'stored' ? previous.senderIdentity : selfIdentity) === senderKey &&
    at - (previous.state === 'stored' ? Date.parse(previous.createdAt) : previous.queuedAt) < GROUP_WINDOW_MS;
  const state = message.state === 'stored' ? 'sent' : message.state;

  return (
    <li
      className="cv-rt-message"
      data-testid="chat-message"
      data-seq={message.state === 'stored' ? message.seq : undefined}
      data-state={state}
      data-own={isOwn ? 'true' : undefined}
      data-continued={isContinuation ? 'true' : undefined}
    >
      {!isContinuation && (
        <div className="cv-rt-meta">
          <span className="cv-rt-sender cv-ellipsis">{isOwn ? `${sender} (you)` : sender}</span>
          <time dateTime={new Date(at).toISOString()}>{formatTime(at)}</time>
        </div>
      )}
      <p className="cv-rt-text">
        <MessageText text={message.text} />
      </p>
      {message.state === 'pending' && (
        <span className="cv-rt-status">{isConnected ? 'Sending…' : 'Pending — sends when back online'}</span>
      )}
      {message.state === 'failed' && (
        <span className="cv-rt-status cv-rt-failed" role="alert">
          Not sent: {message.error.message}{' '}
          <button
            type="button"
            className="cv-rt-link-button"
            data-testid="chat-retry"
            onClick={() => onRetry(message.clientId)}
          >
            Retry
          </button>
        </span>
      )}
    </li>
  );
}

/** Text nodes and http(s) anchors only: message text is never parsed as HTML. */
function MessageText({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((part, i) =>
        part.kind === 'link' ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts are positional and never reordered
          <a key={i} href={part.href} target="_blank" rel="noopener noreferrer">
            {part.text}
          </a>
        ) : (
          part.text
        ),
      )}
    </>
  );
}

function Composer({ client }: { client: TRealtimeClient | null }) {
  const [text, setText] = useState('');
  const typing = useRef<{ sentAt: number; idleTimer?: ReturnType<typeof setTimeout> }>({ sentAt: 0 });

  function stopTyping() {
    clearTimeout(typing.current.idleTimer);
    if (typing.current.sentAt !== 0) {
      typing.current.sentAt = 0;
      void client?.stopTyping();
    }
  }
  useEffect(() => () => clearTimeout(typing.current.idleTimer), []);

  function onChange(value: string) {
    setText(value);
    if (!client) return;
    if (value.trim() === '') {
      stopTyping();
      return;
    }
    const now = Date.now();
    if (now - typing.current.sentAt > TYPING_RESEND_MS) {
      typing.current.sentAt = now;
      void client.startTyping();
    }
    clearTimeout(typing.current.idleTimer);
    typing.current.idleTimer = setTimeout(stopTyping, TYPING_IDLE_MS);
  }

  function send() {
    const trimmed = text.trim();
    if (!client || trimmed === '' || trimmed.length > MAX_CHAT_TEXT_LENGTH) return;
    client.sendMessage(trimmed);
    setText('');
    stopTyping();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  }

  const length = text.trim().length;
  return (
    <form
      className="cv-rt-composer"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <textarea
        className="cv-input cv-rt-input"
        data-testid="chat-input"
        aria-label="Message"
        placeholder="Message everyone"
        rows={1}
        maxLength={MAX_CHAT_TEXT_LENGTH}
        value={text}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={onKeyDown}
        onBlur={stopTyping}
      />
      <button
        type="submit"
        className="cv-button cv-button-primary cv-rt-send"
        data-testid="chat-send"
        disabled={!client || length === 0}
        aria-label="Send message"
      >
        Send
      </button>
      {text.length >= COUNTER_FROM && (
        <span className="cv-rt-counter" data-over={text.length >= MAX_CHAT_TEXT_LENGTH ? 'true' : undefined}>
          {text.length} / {MAX_CHAT_TEXT_LENGTH}
        </span>
      )}
    </form>
  );
}

function messageKey(message: TClientMessage, selfIdentity: string | null): string {
  // Our own message keeps its key from pending to stored, so the row does not remount.
  if (message.state !== 'stored' || message.senderIdentity === selfIdentity) return `c:${message.clientId}`;
  return `s:${message.seq}`;
}

function lastStoredSeq(messages: readonly TClientMessage[]): number | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.state === 'stored') return m.seq;
  }
  return null;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
function formatTime(at: string | number): string {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? '' : timeFormat.format(date);
}
