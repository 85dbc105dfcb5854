import { Landing } from '@/components/meeting/landing';
import '@/components/meeting/meeting.css';

export default function LandingPage() {
  return <Landing />;
}
