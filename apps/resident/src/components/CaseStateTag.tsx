// A case's state as a coloured chip: the server's label (already in the reader's language) on a colour
// per state — orange waiting, blue being handled, purple referred, green done, grey stopped. Dark text
// on a light tint keeps AA contrast.
import type { CaseState } from '@jiedao/contracts';

const COLORS: Record<CaseState, { fg: string; bg: string; border: string }> = {
  submitted: { fg: '#873800', bg: '#fff7e6', border: '#ffd591' },
  accepted: { fg: '#7c4a03', bg: '#fffbe6', border: '#ffe58f' },
  dispatched: { fg: '#003eb3', bg: '#e6f4ff', border: '#91caff' },
  signed: { fg: '#003eb3', bg: '#e6f4ff', border: '#91caff' },
  in_progress: { fg: '#002c8c', bg: '#f0f5ff', border: '#adc6ff' },
  replied: { fg: '#00474f', bg: '#e6fffb', border: '#87e8de' },
  escalated: { fg: '#391085', bg: '#f9f0ff', border: '#d3adf7' },
  closed: { fg: '#135200', bg: '#f6ffed', border: '#b7eb8f' },
  rejected: { fg: '#434343', bg: '#f5f5f5', border: '#d9d9d9' },
  merged: { fg: '#434343', bg: '#f5f5f5', border: '#d9d9d9' },
};

export function CaseStateTag({ state, label, large }: { state: string; label: string; large?: boolean }) {
  const c = COLORS[state as CaseState] ?? COLORS.rejected;
  return (
    <span
      className="state-chip"
      style={{
        color: c.fg,
        background: c.bg,
        border: `1px solid ${c.border}`,
        lineHeight: 1.6,
        whiteSpace: 'nowrap',
        fontWeight: 500,
        ...(large ? { fontSize: '0.9375rem', padding: '2px 10px' } : {}),
      }}
    >
      {label}
    </span>
  );
}
