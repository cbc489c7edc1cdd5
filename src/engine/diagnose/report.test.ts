import { describe, expect, it } from 'vitest';
import type { Diagnosis } from '../model/types';
import { formatDiagnoses } from './report';

const item = (stream: number, kind: Diagnosis['kind'], frames: number[]): Diagnosis => ({
  kind, severity: 'warn', stream, endpoints: ['192.0.2.1:5000', '198.51.100.2:80'], frames, summary: `Something about ${kind}.`, facts: [{ name: 'x', value: 1, text: 'one fact' }],
});

describe('--diagnose report', () => {
  it('says so when nothing is wrong', () => {
    expect(formatDiagnoses([], 3)).toBe('No problems found in 3 TCP connections.\n');
  });

  it('groups items by connection with their facts and frames', () => {
    const text = formatDiagnoses([item(0, 'connection-refused', [1, 2]), item(4, 'port-reuse', [7, 9]), item(4, 'reset-during-transfer', [12])], 5);
    expect(text.split('\n')[0]).toBe('3 diagnoses on 2 of 5 TCP connections.');
    expect(text).toContain('Connection 4 (tcp.stream eq 4): 192.0.2.1:5000 → 198.51.100.2:80\n  [Warning] port-reuse\n    Something about port-reuse.\n    - one fact\n    frames: 7, 9\n  [Warning] reset-during-transfer');
    expect(text.match(/^Connection /gm)).toHaveLength(2);
  });
});
