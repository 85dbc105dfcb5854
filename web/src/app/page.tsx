export default function LandingPage() {
  return <main>Convene</main>;
}
