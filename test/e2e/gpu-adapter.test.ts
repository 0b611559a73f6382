import { describe, expect, it } from 'vitest';
import { appPerFile, navButton } from '../helpers/browser.js';
import { probeAdapter } from '../../core/ml/webgpu-backend.js';

/**
 * The app run on WebGPU (as `--backend webgpu` does; the tests' apps run on wasm otherwise): Settings and Help → About name the GPU the backend runs on, by Dawn's device slug
 * beside the driver's description (NVIDIA's Vulkan driver describes only itself, "NVIDIA: 580.159.04", so without
 * the device its GPU went unnamed). Runs on this machine's real adapter: lavapipe in CI.
 */
describe('the GPU adapter in Settings and About', () => {
  const s = appPerFile({ backend: 'webgpu' });

  it('on WebGPU: the adapter line names the device once, beside the driver’s description', async () => {
    const { page } = s;
    const found = await probeAdapter();
    if (!found) throw new Error('no WebGPU adapter: install Mesa 25 (apt-get install -t bookworm-backports mesa-vulkan-drivers), see .ci/run');
    const device = (found.device ?? '').replace(/^-+|-+$/g, '');
    expect(device).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/); // Dawn names every adapter's device ("llvmpipe-llvm-15-0-6-256-bits-")
    await navButton(page, 'Settings / About').click();
    const line = page.getByTestId('about').getByTestId('gpu-adapter');
    await expect.poll(() => line.count(), { timeout: 60_000 }).toBe(1);
    const text = (await line.textContent())!.replace(/\s+/g, ' ').trim();
    const once = (part: string) => text.split(part).length - 1;
    expect(text.startsWith(`GPU adapter: ${found.vendor}`), text).toBe(true);
    expect(once(device), text).toBe(1);
    if (found.software) {
      // lavapipe: its description ("llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1") does not say its device
      expect(text).toBe(`GPU adapter: ${found.vendor} ${found.architecture} — ${device} — ${found.description} (software emulation on the CPU: correct but slower than WebAssembly, so “auto” never picks it)`);
    }
    // Help → About says the same
    await page.getByTestId('app-menu').click();
    await page.getByRole('menu').locator('[data-command="help.about"]').click();
    const about = page.getByTestId('about-backend').getByTestId('gpu-adapter');
    await expect.poll(() => about.count()).toBe(1);
    expect((await about.textContent())!.replace(/\s+/g, ' ').trim()).toBe(text);
    // once: before, the backend's detail before the line ("WebGPU (Dawn) on …") named it too
    const whole = (await page.getByTestId('about-backend').textContent())!;
    expect(whole.split(device).length - 1, whole).toBe(1);
    expect(whole).not.toContain('WebGPU (Dawn) on');
    await page.getByRole('button', { name: 'Close' }).click();
    const settings = (await page.getByTestId('backend').textContent())!;
    expect(settings.split(device).length - 1, settings).toBe(1);
  });
});
