// Browser mode refuses anyone without the per-launch token, and pages from any other Origin.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '../support/fixtures';

test('requests without the token, or with a wrong one, are refused', async ({ console, playwright }) => {
  const request = await playwright.request.newContext();
  expect((await request.get(`${console.origin}/`)).status()).toBe(401);
  expect((await request.get(`${console.origin}/?token=not-the-token`)).status()).toBe(401);
  const withToken = await request.get(console.launchUrl);
  expect(withToken.status()).toBe(200);
  await request.dispose();
});

test('a page from a foreign Origin cannot open the bridge', async ({ console, page }) => {
  // A hostile page on another local port, as a malicious site or another local app would be.
  const hostile = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>hostile</title>'));
  await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
  try {
    // Load the console first so the browser holds its cookie, then try from the hostile page.
    await page.goto(console.launchUrl);
    await page.goto(`http://127.0.0.1:${(hostile.address() as AddressInfo).port}/`);
    const outcome = await page.evaluate(
      (port) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(`ws://127.0.0.1:${port}/bridge`);
          ws.onopen = () => resolve('opened');
          ws.onerror = () => resolve('refused');
        }),
      console.port,
    );
    expect(outcome).toBe('refused');
    expect(console.log.some((l) => /refused WebSocket \/bridge: origin http:\/\/127\.0\.0\.1:\d+ is not allowed/.test(l))).toBe(true);
  } finally {
    hostile.close();
  }
});

test('the console runs under a strict CSP with no violations', async ({ console, page }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  const response = await page.goto(console.launchUrl);
  expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self';/);
  await expect(page.getByRole('grid', { name: 'Containers' })).toBeVisible();
  expect(await page.locator('script:not([src])').count()).toBe(0);
  expect(violations).toEqual([]);
});
