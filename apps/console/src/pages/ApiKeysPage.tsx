export function ApiKeysPage() {
  return <h1>API Keys</h1>;
}
