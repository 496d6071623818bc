// The "Create container here" / "Clone" dialog, opened from the IP map (stores/ipCreate's open):
// a form (name; for a create the image, from the fleet's and the registry view's references or
// typed; the host among the segment's), then the plan main made (name, host, IP, MAC, image, the
// settings it carries), then Create, which acts at the plan's IP through the action path. A refusal
// (an address taken meanwhile, naming its holder) is said where the plan is. Modal: rendered into
// <body>, focus trapped, Escape closes.
import { useEffect, useId, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';
import { trapTab } from '../../components/focusTrap';
import { useFleet } from '../../stores/fleet';
import { useImages } from '../../stores/images';
import { useIpCreate, type IpCreateAsk } from '../../stores/ipCreate';
import { useIpMap } from '../../stores/ipmap';
import { imageChoices, segmentHosts, segmentOfContainer } from './choices';
import './ipCreate.css';

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), select:not([disabled])';

export function IpCreateDialog() {
  const ask = useIpCreate((s) => s.ask);
  return ask ? <Dialog ask={ask} /> : null;
}

function Dialog({ ask }: { ask: IpCreateAsk }) {
  const titleId = useId();
  const ref = useRef<HTMLDivElement>(null);
  const [opener] = useState(() => document.activeElement as HTMLElement | null);
  const at = useIpCreate((s) => s.at);
  const error = useIpCreate((s) => s.error);
  const snapshot = useIpMap((s) => s.snapshot);
  const containers = useFleet((s) => s.containers);
  const registries = useImages((s) => s.registries?.value);
  const tags = useImages((s) => s.tags);

  const segment = ask.kind === 'create' ? ask.segment : segmentOfContainer(snapshot, ask.host, ask.container);
  const hosts = useMemo(() => (segment ? segmentHosts(snapshot, segment) : []), [snapshot, segment]);
  const images = useMemo(() => imageChoices([...containers.values()].flatMap((list) => list.map((c) => c.image)), registries, tags), [containers, registries, tags]);
  const [name, setName] = useState(ask.kind === 'clone' ? `${ask.container}-copy` : '');
  const [image, setImage] = useState('');
  const [host, setHost] = useState(ask.kind === 'clone' ? ask.host : '');
  const chosenHost = host || hosts[0] || '';
  const close = () => useIpCreate.getState().close();

  useEffect(() => () => queueMicrotask(() => opener?.isConnected && opener.focus({ preventScroll: true })), [opener]);
  // Each step's own control takes the keyboard (the one pressed goes away or is disabled): the form's
  // first field, the plan's Create, the result's Close; while planning or creating, the dialog itself.
  useEffect(() => {
    const root = ref.current;
    const wanted = at.step === 'form' ? FOCUSABLE : at.step === 'plan' ? '[data-focus=create]' : at.step === 'done' ? '[data-focus=close]' : undefined;
    (wanted ? root?.querySelector<HTMLElement>(wanted) : root)?.focus();
  }, [at.step]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close();
    } else if (e.key === 'Tab') trapTab(e, ref.current, FOCUSABLE);
  };

  const onPlan = (e: FormEvent) => {
    e.preventDefault();
    if (!segment || !name.trim() || !chosenHost) return;
    const common = { name: name.trim(), host: chosenHost, segment, ...(ask.kind === 'create' && ask.ip ? { ip: ask.ip } : {}) };
    void useIpCreate.getState().plan(ask.kind === 'create' ? { kind: 'create', image: image.trim(), ...common } : { kind: 'clone', from: { host: ask.host, container: ask.container }, ...common });
  };

  const title = ask.kind === 'create' ? 'Create container here' : 'Clone container';
  const planned = at.step === 'plan' || at.step === 'creating' || at.step === 'done' ? at.plan : undefined;
  const formDisabled = at.step !== 'form';

  return createPortal(
    <div className="modal-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) close(); }}>
      <div ref={ref} tabIndex={-1} className="modal modal-wide ip-create" role="dialog" aria-modal="true" aria-labelledby={titleId} onKeyDown={onKeyDown}>
        <h2 id={titleId} className="modal-title">{title}</h2>
        <p className="muted">
          {ask.kind === 'create' ? <>On segment <span className="mono">{ask.segment}</span>{ask.ip ? <>, at <span className="mono">{ask.ip}</span></> : ', at the pool’s next address for the name'}.</> : <>Its settings, from <span className="mono">{ask.container}</span> on {ask.host}, on a chosen host at the pool’s next address for the new name.</>}
        </p>
        {!segment && <p className="field-error" role="alert">The IP map shows no address of {ask.kind === 'clone' ? ask.container : 'this segment'}: nothing to clone it on.</p>}
        <form className="form-grid" onSubmit={onPlan} aria-label={`${title}: what to create`}>
          <label htmlFor={`${titleId}-name`}>Name</label>
          <input id={`${titleId}-name`} className="text-input mono" value={name} onChange={(e) => setName(e.target.value)} disabled={formDisabled} required autoComplete="off" spellCheck={false} />
          {ask.kind === 'create' && (
            <>
              <label htmlFor={`${titleId}-image`}>Image</label>
              <input id={`${titleId}-image`} className="text-input mono" list={`${titleId}-images`} value={image} onChange={(e) => setImage(e.target.value)} disabled={formDisabled} required autoComplete="off" spellCheck={false} placeholder="registry/repository:tag" />
              <datalist id={`${titleId}-images`}>{images.map((ref) => <option key={ref} value={ref} />)}</datalist>
            </>
          )}
          <label htmlFor={`${titleId}-host`}>Host</label>
          <select id={`${titleId}-host`} className="text-input" value={chosenHost} onChange={(e) => setHost(e.target.value)} disabled={formDisabled}>
            {hosts.map((h) => <option key={h} value={h}>{h}</option>)}
          </select>
          {at.step === 'form' && (
            <div className="ip-create-row">
              <button type="submit" className="btn btn-primary" disabled={!segment || !chosenHost}>Plan</button>
            </div>
          )}
        </form>
        {at.step === 'planning' && <p className="muted" role="status">Planning…</p>}
        {planned && (
          <section aria-label="Plan" className="ip-create-plan">
            <dl>
              <dt>Name</dt><dd className="mono">{planned.name}</dd>
              <dt>Host</dt><dd>{planned.host}</dd>
              <dt>IP</dt><dd className="mono">{planned.ip}</dd>
              <dt>Image</dt><dd className="mono">{planned.image}</dd>
              {planned.settings.map((s) => <Setting key={s.key} label={s.key} value={s.value} />)}
            </dl>
          </section>
        )}
        {error && <p className="field-error" role="alert">{error}</p>}
        {at.step === 'done' && <p role="status">Created {at.created.name} on {at.created.host} at <span className="mono">{at.created.ip}</span>.</p>}
        <div className="modal-actions">
          {at.step === 'done' ? (
            <button type="button" className="btn btn-primary" data-focus="close" onClick={close}>Close</button>
          ) : (
            <>
              <button type="button" className="btn" onClick={close}>Cancel <kbd aria-hidden="true">Esc</kbd></button>
              {(at.step === 'plan' || at.step === 'creating') && (
                <>
                  <button type="button" className="btn" onClick={() => useIpCreate.getState().edit()} disabled={at.step === 'creating'}>Change</button>
                  <button type="button" className="btn btn-primary" data-focus="create" onClick={() => void useIpCreate.getState().create()} disabled={at.step === 'creating'}>Create</button>
                </>
              )}
            </>
          )}
        </div>
      </div>
    </div>,
    document.body,
  );
}

function Setting({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd className="mono">{value}</dd>
    </>
  );
}
