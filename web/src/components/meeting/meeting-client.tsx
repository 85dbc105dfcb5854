'use client';

import '@livekit/components-styles';
import './meeting.css';
import type { TLobbyAdmission } from '@convene/api/realtime/contract';
import type { LocalUserChoices } from '@livekit/components-react';
import { useRouter } from 'next/navigation';
import {
  type ReactNode,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import { HostControls } from '@/components/host/host-controls';
import { moderationOutcome, useModerationOutcome } from '@/components/host/moderation-outcome';
import { ModerationScreen } from '@/components/host/moderation-screen';
import { LobbyWaiting } from '@/components/lobby/lobby-waiting';
import { redeemJoinLink, type TJoinLink, takeJoinLinkFromLocation } from '@/lib/join-link/join-link-client';
import { isLobbyResponse, requestJoinToken, type TLobbyResponse } from '@/lib/meeting/api-client';
import { describeJoinError } from '@/lib/meeting/join-error';
import { meetingSession, type TMeetingSession } from '@/lib/meeting/session';
import { MeetingRoom } from './meeting-room';
import { PreJoin } from './pre-join';
import { useMeetingSession } from './use-meeting-session';

type TMeetingView =
  | { step: 'reading-link' }
  | { step: 'prejoin'; error: string | null; isJoining: boolean }
  | { step: 'lobby'; lobby: TLobbyResponse; choices: LocalUserChoices }
  | { step: 'in-room'; session: TMeetingSession; choices: LocalUserChoices };

export interface TMeetingClientProps {
  slug: string;
  sidePanel?: ReactNode;
  toolbarExtras?: ReactNode;
}

const noSubscribe = () => () => {};

/** A join link's `skipPrejoin` goes straight in with the default devices, both on. */
const DEFAULT_CHOICES: Omit<LocalUserChoices, 'username'> = {
  audioEnabled: true,
  videoEnabled: true,
  audioDeviceId: '',
  videoDeviceId: '',
};

/** /r/<slug>: pre-join, then the room; leaving goes back to the landing page. */
export function MeetingClient({ slug, sidePanel, toolbarExtras }: TMeetingClientProps) {
  const router = useRouter();
  const [view, setView] = useState<TMeetingView>({ step: 'reading-link' });
  // A join link (`#token=…`, made by the REST API) fixes identity, name and role: the integrator's.
  const [joinLink, setJoinLink] = useState<{ link: TJoinLink; name: string } | null>(null);
  // Read once per mount (the fragment is stripped as it is read, so a second read finds nothing).
  const linkRead = useRef<TJoinLink | null | undefined>(undefined);
  // Devices and saved choices exist only in the browser: render nothing device-related on the server.
  const isClient = useSyncExternalStore(
    noSubscribe,
    () => true,
    () => false,
  );

  useEffect(() => () => meetingSession.clear(), []);

  useEffect(() => {
    if (linkRead.current === undefined) linkRead.current = takeJoinLinkFromLocation();
    const link = linkRead.current;
    if (!link) {
      setView({ step: 'prejoin', error: null, isJoining: false });
      return;
    }
    let isCurrent = true;
    // Redeem now: a bad link is reported before anyone picks devices, and pre-join shows the name.
    void redeemJoinLink(slug, link.token).then((result) => {
      if (!isCurrent) return;
      if (!result.ok) {
        setView({ step: 'prejoin', error: describeJoinError(result.error), isJoining: false });
        return;
      }
      setJoinLink({ link, name: result.data.name });
      if (!link.skipPrejoin) {
        setView({ step: 'prejoin', error: null, isJoining: false });
        return;
      }
      const choices = { ...DEFAULT_CHOICES, username: result.data.name };
      // A link to a lobby room: wait to be let in (the admission carries the join token).
      if (isLobbyResponse(result.data)) {
        setView({ step: 'lobby', lobby: result.data, choices });
        return;
      }
      const session: TMeetingSession = { ...result.data, source: 'join-link' };
      meetingSession.set(session);
      setView({ step: 'in-room', session, choices });
    });
    return () => {
      isCurrent = false;
    };
  }, [slug]);

  const onJoin = useCallback(
    async (choices: LocalUserChoices) => {
      setView({ step: 'prejoin', error: null, isJoining: true });
      if (joinLink) {
        const redeemed = await redeemJoinLink(slug, joinLink.link.token);
        if (!redeemed.ok) {
          setView({ step: 'prejoin', error: describeJoinError(redeemed.error), isJoining: false });
          return;
        }
        if (isLobbyResponse(redeemed.data)) {
          setView({
            step: 'lobby',
            lobby: redeemed.data,
            choices: { ...choices, username: redeemed.data.name },
          });
          return;
        }
        const session: TMeetingSession = { ...redeemed.data, source: 'join-link' };
        meetingSession.set(session);
        setView({ step: 'in-room', session, choices: { ...choices, username: session.name } });
        return;
      }
      const result = await requestJoinToken(slug, choices.username);
      if (!result.ok) {
        setView({ step: 'prejoin', error: describeJoinError(result.error), isJoining: false });
        return;
      }
      if (isLobbyResponse(result.data)) {
        setView({ step: 'lobby', lobby: result.data, choices });
        return;
      }
      meetingSession.set(result.data);
      setView({ step: 'in-room', session: result.data, choices });
    },
    [slug, joinLink],
  );

  // Let in from the lobby: the join token arrived over the realtime link; join without a reload.
  const onAdmitted = useCallback(
    (admission: TLobbyAdmission) => {
      if (view.step !== 'lobby') return;
      const { lobby, choices } = view;
      const session: TMeetingSession = {
        token: admission.token,
        expiresAt: admission.expiresAt,
        room: lobby.room,
        identity: admission.identity,
        name: lobby.name,
        role: admission.role,
        livekitUrl: lobby.livekitUrl,
        realtimeUrl: lobby.realtimeUrl,
        // Let in through a join link: refreshed by redeeming, keeping the integrator's identity.
        ...(joinLink ? { source: 'join-link' as const } : {}),
      };
      meetingSession.set(session);
      setView({ step: 'in-room', session, choices });
    },
    [view, joinLink],
  );
  const outcome = useModerationOutcome();
  // A host may change our role mid-meeting (HostControls updates the session store): the UI
  // follows it; the token (and so the LiveKit connection) stays the same.
  const live = useMeetingSession();
  const liveRole = live.status === 'active' ? live.session.role : null;
  const roomSession = useMemo(
    () =>
      view.step !== 'in-room'
        ? null
        : liveRole && liveRole !== view.session.role
          ? { ...view.session, role: liveRole }
          : view.session,
    [view, liveRole],
  );
  useEffect(() => () => moderationOutcome.set(null), []);

  const onLeave = useCallback(() => {
    meetingSession.clear();
    router.push('/');
  }, [router]);

  const onDropped = useCallback((message: string) => {
    meetingSession.clear();
    setView({ step: 'prejoin', error: message, isJoining: false });
  }, []);

  if (!isClient || view.step === 'reading-link') {
    return (
      <main className="cv-center" aria-busy="true">
        <p className="cv-muted">Loading…</p>
      </main>
    );
  }
  if (outcome) {
    return <ModerationScreen outcome={outcome} onDone={onLeave} />;
  }
  if (view.step === 'lobby') {
    return <LobbyWaiting lobby={view.lobby} onAdmitted={onAdmitted} onCancel={onLeave} />;
  }
  if (view.step === 'in-room') {
    return (
      <MeetingRoom
        session={roomSession ?? view.session}
        choices={view.choices}
        onLeave={onLeave}
        onDropped={onDropped}
        sidePanel={sidePanel}
        toolbarExtras={
          <>
            {toolbarExtras}
            <HostControls />
          </>
        }
      />
    );
  }
  return (
    <PreJoin
      roomName={slug}
      fixedName={joinLink?.name}
      error={view.error}
      isJoining={view.isJoining}
      onJoin={onJoin}
    />
  );
}
