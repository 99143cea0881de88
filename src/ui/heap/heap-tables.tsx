import { type Column, DataTable } from '../components/table.js';
import { bytes, num, percent } from '../format.js';
import type { GrowthRow } from './compare.js';
import type { ClassRow, HeapSummary } from './summary.js';

/** A change with its sign: `+1,024`, `−3`, `0`. */
function signed(n: number, format: (n: number) => string): string {
  return n > 0 ? `+${format(n)}` : n < 0 ? `−${format(-n)}` : format(0);
}

/** The summary by constructor, the most retained first. */
export function SummaryTable(props: { summary: HeapSummary; label: string }): preact.JSX.Element {
  const total = props.summary.totalSize || 1;
  const columns: Column<ClassRow>[] = [
    { key: 'name', title: 'Constructor' },
    { key: 'count', title: 'Objects', width: '7.5em', align: 'right' },
    { key: 'shallow', title: 'Shallow size', width: '8.5em', align: 'right', render: (r) => bytes(r.shallow) },
    { key: 'retained', title: 'Retained size', width: '8.5em', align: 'right', render: (r) => bytes(r.retained) },
    { key: 'share', title: '% of heap', width: '6.5em', align: 'right', priority: 2, value: (r) => r.retained / total, render: (r) => percent(r.retained / total) },
  ];
  return <DataTable rows={props.summary.rows} columns={columns} label={props.label} rowKey={(r) => r.name} defaultSort={{ key: 'retained', desc: true }} />;
}

const GROWTH_COLUMNS: Column<GrowthRow>[] = [
  { key: 'name', title: 'Constructor' },
  { key: 'countDelta', title: '+ Objects', width: '7.5em', align: 'right', render: (r) => signed(r.countDelta, num) },
  { key: 'sizeDelta', title: '+ Shallow size', width: '9em', align: 'right', render: (r) => signed(r.sizeDelta, bytes) },
  { key: 'added', title: 'New', width: '6.5em', align: 'right' },
  { key: 'deleted', title: 'Deleted', width: '6.5em', align: 'right' },
  { key: 'addedSize', title: 'New size', width: '7.5em', align: 'right', priority: 2, render: (r) => bytes(r.addedSize) },
  { key: 'deletedSize', title: 'Freed size', width: '7.5em', align: 'right', priority: 3, render: (r) => bytes(r.deletedSize) },
];

/** What grew between two snapshots, the most grown (by shallow size) first. */
export function GrowthTable(props: { rows: GrowthRow[] }): preact.JSX.Element {
  return <DataTable rows={props.rows} columns={GROWTH_COLUMNS} label="heap growth" rowKey={(r) => r.name} defaultSort={{ key: 'sizeDelta', desc: true }} />;
}
