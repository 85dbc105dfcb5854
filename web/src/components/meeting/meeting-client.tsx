'use client';

import '@livekit/components-styles';
import './meeting.css';
import type { LocalUserChoices } from '@livekit/components-react';
import { useRouter } from 'next/navigation';
import { type ReactNode, useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { requestJoinToken } from '@/lib/meeting/api-client';
import { describeJoinError } from '@/lib/meeting/join-error';
import { meetingSession, type TMeetingSession } from '@/lib/meeting/session';
import { MeetingRoom } from './meeting-room';
import { PreJoin } from './pre-join';

type TMeetingView =
  | { step: 'prejoin'; error: string | null; isJoining: boolean }
  | { step: 'in-room'; session: TMeetingSession; choices: LocalUserChoices };

export interface TMeetingClientProps {
  slug: string;
  sidePanel?: ReactNode;
  toolbarExtras?: ReactNode;
}

const noSubscribe = () => () => {};

/** /r/<slug>: pre-join, then the room; leaving goes back to the landing page. */
export function MeetingClient({ slug, sidePanel, toolbarExtras }: TMeetingClientProps) {
  const router = useRouter();
  const [view, setView] = useState<TMeetingView>({ step: 'prejoin', error: null, isJoining: false });
  // Devices and saved choices exist only in the browser: render nothing device-related on the server.
  const isClient = useSyncExternalStore(
    noSubscribe,
    () => true,
    () => false,
  );

  useEffect(() => () => meetingSession.clear(), []);

  const onJoin = useCallback(
    async (choices: LocalUserChoices) => {
      setView({ step: 'prejoin', error: null, isJoining: true });
      const result = await requestJoinToken(slug, choices.username);
      if (!result.ok) {
        setView({ step: 'prejoin', error: describeJoinError(result.error), isJoining: false });
        return;
      }
      meetingSession.set(result.data);
      setView({ step: 'in-room', session: result.data, choices });
    },
    [slug],
  );

  const onLeave = useCallback(() => {
    meetingSession.clear();
    router.push('/');
  }, [router]);

  const onDropped = useCallback((message: string) => {
    meetingSession.clear();
    setView({ step: 'prejoin', error: message, isJoining: false });
  }, []);

  if (!isClient) {
    return (
      <main className="cv-center" aria-busy="true">
        <p className="cv-muted">Loading…</p>
      </main>
    );
  }
  if (view.step === 'in-room') {
    return (
      <MeetingRoom
        session={view.session}
        choices={view.choices}
        onLeave={onLeave}
        onDropped={onDropped}
        sidePanel={sidePanel}
        toolbarExtras={toolbarExtras}
      />
    );
  }
  return <PreJoin roomName={slug} error={view.error} isJoining={view.isJoining} onJoin={onJoin} />;
}
