import { beforeEach, describe, expect, it } from 'vitest';
import { CONV_COLORS, convColorSlot } from './conv-colors';
import { useListView } from '../../state/list-view';

describe('Colorize Conversation', () => {
  beforeEach(() => useListView.getState().resetColors());

  it('has Wireshark 4.0\'s ten colours', () => {
    expect(CONV_COLORS).toHaveLength(10);
    expect(new Set(CONV_COLORS).size).toBe(10);
    for (const c of CONV_COLORS) expect(c).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('a slot holds one stream; a stream has one slot; reset clears all', () => {
    const lv = () => useListView.getState();
    lv().colorize(3, 0);
    expect(convColorSlot(lv().convColors, 0)).toBe(3);
    expect(convColorSlot(lv().convColors, 1)).toBe(0);
    lv().colorize(3, 5); // Color 3 now colours stream 5, not 0
    expect(convColorSlot(lv().convColors, 0)).toBe(0);
    expect(convColorSlot(lv().convColors, 5)).toBe(3);
    lv().colorize(1, 5); // moving it
    expect(convColorSlot(lv().convColors, 5)).toBe(1);
    lv().colorize(10, 0);
    expect(convColorSlot(lv().convColors, 0)).toBe(10);
    lv().uncolorize(0);
    expect(convColorSlot(lv().convColors, 0)).toBe(0);
    expect(convColorSlot(lv().convColors, -1)).toBe(0);
    for (const [slot, stream] of [[0, 1], [11, 1], [2, -1], [1.5, 1]]) lv().colorize(slot, stream);
    expect(lv().convColors.filter((x) => x !== undefined)).toEqual([5]);
    lv().resetColors();
    expect(convColorSlot(lv().convColors, 5)).toBe(0);
  });
});
