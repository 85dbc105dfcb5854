import { ZRoomSlug } from '@convene/api/rooms/schemas';
import type { Metadata } from 'next';
import Link from 'next/link';
import { MeetingClient } from '@/components/meeting/meeting-client';
import { RealtimeSidePanel } from '@/components/realtime/realtime-side-panel';
import { RealtimeToolbar } from '@/components/realtime/realtime-toolbar';
import '@/components/meeting/meeting.css';

export const dynamic = 'force-dynamic';

type TParams = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: TParams): Promise<Metadata> {
  const parsed = ZRoomSlug.safeParse((await params).slug);
  return { title: parsed.success ? `${parsed.data} · Convene` : 'Convene' };
}

export default async function MeetingPage({ params }: TParams) {
  const parsed = ZRoomSlug.safeParse((await params).slug);
  if (!parsed.success) {
    return (
      <main className="cv-center">
        <div className="cv-landing-card">
          <h1>That is not a room name</h1>
          <p className="cv-muted">Room names use letters, digits and single hyphens, 3–64 characters.</p>
          <Link className="cv-button cv-button-primary" href="/">
            Go to the start page
          </Link>
        </div>
      </main>
    );
  }
  return (
    <MeetingClient slug={parsed.data} sidePanel={<RealtimeSidePanel />} toolbarExtras={<RealtimeToolbar />} />
  );
}
