/**
 * How a WebGPU adapter is named wherever it is shown: `ferrolab info`, logs, the bench, a backend's detail, and
 * Settings/About in the renderer (a pure module the renderer may run, so both say it alike).
 *
 * Dawn gives two names. `device` is a slug of the GPU model ("nvidia-h200", "llvmpipe-llvm-15-0-6-256-bits-");
 * `description` is the driver's own words, which on some drivers name only the driver ("NVIDIA: 580.159.04" on
 * NVIDIA's Vulkan driver, seen on an H200), on others the GPU ("Intel(R) UHD Graphics 770"). Both are shown,
 * once: a name the other already says is left out.
 */

/** The adapter's fields this module reads (structural: the contract's GpuAdapter has them; no import keeps it pure). */
export interface AdapterNames {
  vendor: string;
  architecture: string;
  description: string;
  device?: string;
}

/** Lower case, every run of other characters one '-', none at the ends: how Dawn makes `device` from a name. */
function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** True when the slug `inner` is `outer`'s slug or whole words of it ("a2000" is not in "a20001"). */
function says(outer: string, inner: string): boolean {
  return inner !== '' && `-${slug(outer)}-`.includes(`-${inner}-`);
}

/**
 * The GPU's name and the driver's description, "nvidia-h200 — NVIDIA: 580.159.04", each only once: the device
 * slug (blanks and its dangling '-' cut) is left out when the description says it or is the same words (names
 * with no ASCII letter or digit have an empty slug, so only equality can tell), the description when the slug
 * says all of it. Empty when the driver gave neither.
 */
export function adapterName(a: Pick<AdapterNames, 'description' | 'device'>): string {
  const device = (a.device ?? '').trim().replace(/^-+|-+$/g, '').trim();
  const description = a.description.trim();
  if (!device || device.toLowerCase() === description.toLowerCase() || says(description, slug(device))) return description;
  if (!description || says(device, slug(description))) return device;
  return `${device} — ${description}`;
}

/** Vendor, architecture (when the driver gives one) and name: "nvidia — nvidia-h200 — NVIDIA: 580.159.04". */
export function adapterIdentity(a: AdapterNames): string {
  const name = adapterName(a);
  return `${a.vendor}${a.architecture ? ` ${a.architecture}` : ''}${name ? ` — ${name}` : ''}`;
}
