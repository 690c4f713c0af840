export function ProvisioningPage() {
  return <h1>Provisioning</h1>;
}
