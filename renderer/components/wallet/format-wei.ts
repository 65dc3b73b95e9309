/** Wei (decimal string) as ether with up to `digits` decimals, no rounding up, no float. */
export function formatWei(wei: string, digits = 6): string {
  const n = BigInt(wei);
  const whole = n / 10n ** 18n;
  const fraction = (n % 10n ** 18n).toString().padStart(18, '0').slice(0, digits).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole.toString();
}
