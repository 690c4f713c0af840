export function SsoPage() {
  return <h1>Sso</h1>;
}
