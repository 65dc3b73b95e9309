import { expect, test } from './support/fixtures.js';

// Demo mode's whole meter path, seen from the UI: a simulated FTDI P1 cable (speaking the chip's
// real control requests and status-byte framing) carries a simulated DSMR 5 meter's telegrams
// through the project's FTDI driver, the DSMR decoder and the meter session into the Overview.
test('the Overview shows live power read from the simulated FTDI P1 cable', async ({ page, host }) => {
  await page.goto(host.launchUrl);
  const status = await page.evaluate(async () => {
    for (let i = 0; i < 50; i++) {
      const s = await window.wattlet!.invoke('meter.session.status', {});
      if (s.state === 'reading' && s.counters.readings > 0) return s;
      await new Promise((r) => setTimeout(r, 200));
    }
    return window.wattlet!.invoke('meter.session.status', {});
  });
  expect(status).toMatchObject({ state: 'reading', protocol: 'dsmr', adapter: 'usb:ftdi', line: '115200 8N1' });
  expect(status.counters.checksumErrors).toBe(0);
  expect(status.link?.bytesIn).toBeGreaterThan(0);

  // Listen to the same event stream the page does, then check the figure follows it.
  await page.evaluate(() => {
    const w = window as unknown as { lastPowerW: number | null };
    w.lastPowerW = null;
    window.wattlet!.on('meter.reading', (r) => {
      const value = (obis: string) => r.quantities.find((q) => q.obis === obis)?.value;
      w.lastPowerW = (value('1.7.0') ?? 0) - (value('2.7.0') ?? 0);
    });
  });
  const card = page.getByTestId('overview-power');
  await expect(card).toBeVisible();
  await expect
    .poll(async () => {
      const shown = (await card.locator('.value').innerText()).replace(/[^\d]/g, '');
      const last = await page.evaluate(() => (window as unknown as { lastPowerW: number | null }).lastPowerW);
      return last !== null && Math.abs(last) < 10_000 && shown === String(Math.abs(last));
    }, { timeout: 20_000 })
    .toBe(true);
  await expect(page.getByTestId('overview-meter')).not.toContainText('—');
});
