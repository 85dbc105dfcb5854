'use client';

import type { TModerationOutcome } from './moderation-outcome';

/** The screen after a host removed you or ended the meeting. */
export function ModerationScreen({
  outcome,
  onDone,
}: {
  outcome: NonNullable<TModerationOutcome>;
  onDone: () => void;
}) {
  return (
    <main className="cv-center">
      <div className="cv-landing-card" data-testid="moderation-screen" data-kind={outcome.kind}>
        <h1>
          {outcome.kind === 'removed'
            ? 'The host removed you from the meeting'
            : 'The host ended the meeting'}
        </h1>
        {outcome.byName && <p className="cv-muted">By {outcome.byName}.</p>}
        <button type="button" className="cv-button cv-button-primary" onClick={onDone}>
          Back to the start page
        </button>
      </div>
    </main>
  );
}
