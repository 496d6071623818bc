// The Images view: the fleet's registries, their repositories and tags. Each tag: its digest
// (short, with copy), created age, size, labels, and how many containers run it now on which hosts
// (plus those created from it that run an older digest: outdated). Enter (or a click on the count)
// shows those containers in the Containers grid. A plain-HTTP registry is marked; a registry or
// repository that fails shows why (auth, TLS, unreachable…) where its data would be.
//
// ARIA grid named "Images" on the shared grid hook (components/useVirtualGrid.ts), rows as a tree
// like the Containers grid's groups: ←/→ close/open a registry or repository (← on a tag goes to its
// repository), Enter/Space toggle one; on a tag Enter shows its containers and the copy key copies
// its digest.
import { memo, useCallback, useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatBytes, formatCount, formatDuration } from '../../components/format';
import { GridHeaderRow, type HeaderColumn } from '../../components/GridHeaderRow';
import { ariaKeys, KEYS, keyText, matches, matchIndex } from '../../components/keybindings';
import { Shape } from '../../components/Shape';
import { useNow } from '../../components/useNow';
import { useVirtualGrid, virtualRowProps, type RowKeyContext } from '../../components/useVirtualGrid';
import type { ContainerImage } from '../../../shared/registry';
import { containerKey, useFleet } from '../../stores/fleet';
import { useImages } from '../../stores/images';
import { EMPTY_USAGE } from '../../stores/imageUsage';
import { ERROR_KIND_LABEL, hostsText, imageRows, shortDigest, tagReference, type ImageRow, type MessageRow, type RegistryRow, type RepositoryRow, type TagRow } from './imageRows';
import { showContainersOf } from './showContainers';
import { useCopy } from './useCopy';
import './images.css';

const GRID_ID = 'images-grid';
const NO_SORT = { column: '', dir: 'asc' } as const;

const HEADER_COLUMNS: readonly HeaderColumn[] = [
  { id: 'name', label: 'Registry / repository / tag', className: 'img-name' },
  { id: 'digest', label: 'Digest', className: 'img-digest' },
  { id: 'created', label: 'Created', className: 'img-created' },
  { id: 'size', label: 'Size', className: 'img-size' },
  { id: 'running', label: 'Running', className: 'img-running', title: 'Containers running the digest the tag points to now, and on which hosts' },
  { id: 'labels', label: 'Labels', className: 'img-labels' },
];

const CREDENTIALS: Record<RegistryRow['registry']['credentials'], string> = {
  'fleet-file': 'fleet file', 'docker-config': 'docker config', 'credential-helper': 'credential helper', none: 'anonymous',
};

const rowKey = (r: ImageRow) => r.key;

export function ImagesView() {
  const { registries, repositories, tags, expanded, usage } = useImages(
    useShallow((s) => ({ registries: s.registries, repositories: s.repositories, tags: s.tags, expanded: s.expanded, usage: s.usage })),
  );
  const [selected, setSelected] = useState<string | null>(null);
  const { copied, copy } = useCopy();
  const index = usage?.value ?? EMPTY_USAGE;
  const fleet = useFleet((s) => s.containers);
  const isRunning = useMemo(() => {
    const running = new Set<string>();
    for (const list of fleet.values()) for (const c of list) if (c.state === 'running') running.add(containerKey(c));
    return (c: ContainerImage) => running.has(containerKey(c));
  }, [fleet]);
  const derived = useMemo(() => imageRows({ registries, repositories, tags, expanded, usage: index, isRunning }), [registries, repositories, tags, expanded, index, isRunning]);
  const { rows } = derived;

  // Ask for what is shown open and not asked yet; the view opening asks usage again.
  useEffect(() => {
    const s = useImages.getState();
    for (const url of derived.wantRepositories) void s.loadRepositories(url);
    for (const [url, repository] of derived.wantTags) void s.loadTags(url, repository);
  }, [derived]);
  useEffect(() => {
    const s = useImages.getState();
    if (s.usage?.status !== 'loading') void s.loadUsage();
  }, []);


  const grid = useVirtualGrid<ImageRow>({
    id: GRID_ID,
    rows,
    rowKey,
    selectedKey: selected,
    onSelect: setSelected,
    columns: HEADER_COLUMNS,
    sort: NO_SORT,
    onSort: () => {},
    onRowKey,
  });
  const { virtualizer, focusGrid } = grid;

  function parentIndex(row: ImageRow, index: number): number | undefined {
    const level = rowLevel(row);
    for (let i = index - 1; i >= 0; i--) if (rowLevel(rows[i]!) < level) return i;
    return undefined;
  }

  function onRowKey(e: KeyboardEvent<HTMLDivElement>, { row, index, selectIndex }: RowKeyContext<ImageRow>): boolean {
    if (!row || index === undefined) return false;
    const fold = matchIndex(KEYS.fold, e);
    const section = row.kind === 'registry' || row.kind === 'repository' ? row : undefined;
    if (fold === 0) {
      if (section?.open) toggle(section);
      else {
        const parent = parentIndex(row, index);
        if (parent !== undefined) selectIndex(parent);
      }
      return true;
    }
    if (fold === 1) {
      if (section && !section.open) toggle(section);
      else selectIndex(index + 1);
      return true;
    }
    if (e.key === 'Enter' || e.key === ' ') {
      if (section) toggle(section);
      else if (row.kind === 'tag' && e.key === 'Enter') goTo(row);
      return true;
    }
    if (row.kind === 'tag' && matches(KEYS.copyDigest, e)) {
      copy(row.tag.digest);
      return true;
    }
    return false;
  }

  const onRowClick = useCallback((row: ImageRow) => {
    setSelected(row.key);
    if (row.kind === 'registry' || row.kind === 'repository') toggle(row);
    focusGrid();
  }, [focusGrid]);

  const repoCount = rows.filter((r) => r.kind === 'repository').length;
  const tagCount = rows.filter((r) => r.kind === 'tag').length;
  const loading = rows.filter((r) => r.kind === 'message' && r.tone === 'loading').length + (usage?.status === 'loading' ? 1 : 0);

  return (
    <section className="images" aria-label="Images">
      <div className="toolbar images-toolbar">
        <span className="images-title">Registries</span>
        <span className="images-counts">
          {formatCount(registries?.value?.length ?? 0)} registries · {formatCount(repoCount)} repositories · {formatCount(tagCount)} tags shown
        </span>
        <span className="images-progress" aria-live="polite">
          {loading > 0 && <><span className="spinner" aria-hidden="true" /> asking the registries ({loading})…</>}
        </span>
        <FailingRegistries registries={registries?.value} />
        <span className="toolbar-spacer" />
        <span className="images-copied" aria-live="polite">{copied && <>copied <span className="mono">{shortDigest(copied)}</span></>}</span>
        <UsageStatus />
        <button type="button" className="btn btn-quiet btn-small" onClick={() => void useImages.getState().refresh()}>Refresh</button>
      </div>
      <div {...grid.gridProps} className="grid images-grid" aria-label="Images">
        <GridHeaderRow {...grid.headerProps} rowClassName="img-row" />
        <div ref={grid.scrollRef} className="grid-body" role="rowgroup">
          {rows.length === 0 && (
            <p className={`grid-empty${registries?.status === 'error' ? ' images-error' : ''}`}>
              {registries === undefined || registries.status === 'loading'
                ? 'Reading the fleet file’s registries…'
                : registries.status === 'error'
                  ? `Cannot list the registries: ${registries.error}`
                  : 'No registries in the fleet file. Add them under registries: (url, ca, username and passwordEnv, or insecure: true).'}
            </p>
          )}
          <div className="virtual-space" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((v) => {
              const row = rows[v.index];
              if (!row) return null;
              const common = { id: grid.rowId(v.index), index: v.index, top: v.start, selected: row.key === selected, onClick: onRowClick };
              switch (row.kind) {
                case 'registry': return <RegistryRowView key={row.key} row={row} {...common} />;
                case 'repository': return <RepositoryRowView key={row.key} row={row} {...common} />;
                case 'tag': return <TagRowView key={row.key} row={row} copied={copied === row.tag.digest} onCopy={copy} {...common} />;
                case 'message': return <MessageRowView key={row.key} row={row} {...common} />;
              }
            })}
          </div>
        </div>
      </div>
    </section>
  );
}

function toggle(row: RegistryRow | RepositoryRow): void {
  useImages.getState().setExpanded(row.key, !row.open);
}

function goTo(row: TagRow): void {
  showContainersOf(tagReference(row), [...row.use.running, ...row.use.outdated, ...row.use.stopped]);
}

const rowLevel = (row: ImageRow): number => (row.kind === 'registry' ? 1 : row.kind === 'repository' ? 2 : row.kind === 'tag' ? 3 : row.level);

/** The registries that fail, named in the toolbar so they are seen without scrolling to them. */
function FailingRegistries({ registries }: { registries: readonly RegistryRow['registry'][] | undefined }) {
  const failing = (registries ?? []).filter((r) => r.status === 'error');
  if (failing.length === 0) return null;
  return (
    <span className="images-failing" title={failing.map((r) => `${r.host}: ${r.error?.message ?? 'error'}`).join('\n')}>
      <Shape kind="cross" /> {failing.length === 1 ? '1 registry fails' : `${formatCount(failing.length)} registries fail`}:{' '}
      {failing.map((r) => `${r.host} (${r.error ? ERROR_KIND_LABEL[r.error.kind] : 'error'})`).join(', ')}
    </span>
  );
}

function UsageStatus() {
  const usage = useImages((s) => s.usage);
  if (usage?.status === 'error') {
    return <span className="images-usage is-error" title={usage.error}><Shape kind="cross" /> which containers run what: {usage.error}</span>;
  }
  return null;
}

type RowCommon = { id: string; index: number; top: number; selected: boolean; onClick(row: ImageRow): void };

function rowClass(base: string, selected: boolean): string {
  return `grid-row img-row ${base}${selected ? ' is-selected' : ''}`;
}

const RegistryRowView = memo(function RegistryRowView({ row, id, index, top, selected, onClick }: RowCommon & { row: RegistryRow }) {
  const r = row.registry;
  return (
    <div {...virtualRowProps(id, index, top, selected)} aria-level={1} aria-expanded={row.open} className={rowClass(`img-registry${r.status === 'error' ? ' has-error' : ''}`, selected)} onClick={() => onClick(row)}>
      <div role="gridcell" className="cell cell-span" aria-colspan={HEADER_COLUMNS.length}>
        <span className="toggle" aria-hidden="true">{row.open ? '▾' : '▸'}</span>
        <span className="img-registry-host">{r.host}</span>
        <span className="img-registry-url muted">{r.url}</span>
        {r.insecure && (
          <span className="img-badge is-insecure" title="insecure: true in the fleet file: plain HTTP, no TLS">
            <Shape kind="triangle" /> plain HTTP
          </span>
        )}
        {r.status === 'error' ? (
          <span className="img-badge is-error"><Shape kind="cross" /> {r.error ? ERROR_KIND_LABEL[r.error.kind] : ''} error</span>
        ) : (
          <span className="section-counts">{row.repositories === undefined ? '' : `${formatCount(row.repositories)} ${row.repositories === 1 ? 'repository' : 'repositories'} · `}credentials: {CREDENTIALS[r.credentials]}</span>
        )}
      </div>
    </div>
  );
});

const RepositoryRowView = memo(function RepositoryRowView({ row, id, index, top, selected, onClick }: RowCommon & { row: RepositoryRow }) {
  return (
    <div {...virtualRowProps(id, index, top, selected)} aria-level={2} aria-expanded={row.open} className={rowClass(`img-repository${row.inUse ? ' in-use' : ''}`, selected)} onClick={() => onClick(row)}>
      <div role="gridcell" className="cell cell-span" aria-colspan={HEADER_COLUMNS.length}>
        <span className="toggle" aria-hidden="true">{row.open ? '▾' : '▸'}</span>
        <span className="img-repository-name">{row.repository}</span>
        <span className="section-counts">
          {row.tags !== undefined && `${formatCount(row.tags)} ${row.tags === 1 ? 'tag' : 'tags'}`}
          {row.tags !== undefined && row.running > 0 && ` · ${formatCount(row.running)} running`}
          {row.tags === undefined && row.inUse && 'in use'}
        </span>
        {row.outdated > 0 && <span className="img-badge is-outdated"><Shape kind="up" /> {formatCount(row.outdated)} outdated</span>}
      </div>
    </div>
  );
});

const TagRowView = memo(function TagRowView({ row, copied, onCopy, id, index, top, selected, onClick }: RowCommon & { row: TagRow; copied: boolean; onCopy(digest: string): void }) {
  const t = row.tag;
  const { running, outdated, stopped } = row.use;
  const labels = Object.entries(t.labels);
  return (
    <div {...virtualRowProps(id, index, top, selected)} aria-level={3} className={rowClass(`img-tag${outdated.length > 0 ? ' has-outdated' : ''}`, selected)} onClick={() => onClick(row)} onDoubleClick={() => goTo(row)}>
      <div role="gridcell" className="cell img-name img-tag-name" title={tagReference(row)}>{t.tag}</div>
      <div role="gridcell" className="cell img-digest mono" title={`${t.digest}${t.platformDigest ? `\nlinux/amd64: ${t.platformDigest}` : ''}\n${t.mediaType}`}>
        <span className="img-digest-text">{shortDigest(t.digest)}</span>
        <button
          type="button"
          tabIndex={-1}
          className={`img-copy${copied ? ' is-copied' : ''}`}
          aria-label={`Copy digest of ${t.tag}`}
          aria-keyshortcuts={ariaKeys(KEYS.copyDigest)}
          title={`Copy ${t.digest} (${keyText(KEYS.copyDigest)})`}
          onClick={(e) => { e.stopPropagation(); onCopy(t.digest); }}
        >
          {copied ? '✓' : 'copy'}
        </button>
      </div>
      <div role="gridcell" className="cell img-created mono">{t.created ? <Age iso={t.created} /> : <span className="muted">—</span>}</div>
      <div role="gridcell" className="cell img-size mono">{t.size !== undefined ? formatBytes(t.size) : <span className="muted">—</span>}</div>
      <div role="gridcell" className="cell img-running">
        {running.length + outdated.length + stopped.length === 0 ? <span className="muted">—</span> : (
          <button
            type="button"
            tabIndex={-1}
            className="img-running-btn"
            title={`Show them in the Containers grid (Enter)${running.length ? `\nrunning: ${hostsText(running)}` : ''}${outdated.length ? `\noutdated: ${hostsText(outdated)}` : ''}${stopped.length ? `\nnot running: ${hostsText(stopped)}` : ''}`}
            onClick={(e) => { e.stopPropagation(); goTo(row); }}
          >
            {running.length > 0 && <span className="img-running-count"><Shape kind="dot" /> {formatCount(running.length)} running</span>}
            {outdated.length > 0 && <span className="img-badge is-outdated"><Shape kind="up" /> {formatCount(outdated.length)} outdated</span>}
            {stopped.length > 0 && <span className="img-stopped"><Shape kind="square" /> {formatCount(stopped.length)} not running</span>}
            <span className="img-running-hosts">on {hostsText([...running, ...outdated, ...stopped])}</span>
          </button>
        )}
      </div>
      <div role="gridcell" className="cell img-labels" title={labels.map(([k, v]) => `${k}=${v}`).join('\n')}>
        {labels.length === 0 ? <span className="muted">—</span> : labels.map(([k, v]) => <span key={k} className="img-label"><span className="img-label-key">{k.replace(/^org\.opencontainers\.image\./, '')}</span>={v}</span>)}
      </div>
    </div>
  );
});

function Age({ iso }: { iso: string }) {
  const now = useNow();
  const at = Date.parse(iso);
  return <span title={iso}>{Number.isFinite(at) ? `${formatDuration(now - at)} ago` : iso}</span>;
}

const MessageRowView = memo(function MessageRowView({ row, id, index, top, selected, onClick }: RowCommon & { row: MessageRow }) {
  return (
    <div {...virtualRowProps(id, index, top, selected)} aria-level={row.level} className={rowClass(`img-message tone-${row.tone} level-${row.level}`, selected)} onClick={() => onClick(row)}>
      <div role="gridcell" className="cell cell-span" aria-colspan={HEADER_COLUMNS.length} title={row.text}>
        {row.tone === 'loading' && <span className="spinner" aria-hidden="true" />}
        {row.tone === 'error' && <span className="img-badge is-error"><Shape kind="cross" /> {row.errorKind ? ERROR_KIND_LABEL[row.errorKind] : ''} error</span>}
        <span className="img-message-text">{row.text}</span>
      </div>
    </div>
  );
});
