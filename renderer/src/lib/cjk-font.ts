import notoSansSc from '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf?url';
import { Chart } from 'chart.js';

/**
 * Chinese text drawn with a font shipped in the app (Noto Sans SC, SIL OFL 1.1 — the same one the PDF report embeds),
 * so the Chinese interface reads the same on a lab PC whose system has no CJK font (a bare Linux install draws boxes).
 * The face covers only the CJK ranges (unicode-range): a system font still draws Latin text and, where it has them,
 * Chinese; this face is read from disk only when a page shows a character no earlier font has. The interface's and
 * the charts' font lists both name it.
 */
export const CJK_FAMILY = 'Ferrolab CJK';

// CJK symbols and punctuation, hiragana/katakana, CJK unified ideographs (+ extension A), compatibility ideographs,
// full-width forms: what Simplified Chinese text uses.
const CJK_RANGES = 'U+3000-303F, U+3040-30FF, U+3400-4DBF, U+4E00-9FFF, U+F900-FAFF, U+FF00-FFEF';

export const INTERFACE_FONTS = `system-ui, 'Segoe UI', 'DejaVu Sans', '${CJK_FAMILY}', sans-serif`;

export function installCjkFont(): void {
  const face = new FontFace(CJK_FAMILY, `url(${notoSansSc})`, { unicodeRange: CJK_RANGES, display: 'swap' });
  document.fonts.add(face);
  Chart.defaults.font.family = INTERFACE_FONTS;
}
