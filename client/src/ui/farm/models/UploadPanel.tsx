/**
 * Upload a print file: the worker reads it (SHA-256 and slicer metadata) before anything is
 * sent; then it becomes a new model, or a new revision of an existing one with a changelog.
 */
import { useId, useState, type FormEvent } from 'react';
import { describeError, isMissingEndpoint, useFarmApi } from '../api/farmApi.js';
import { parseCreatedModel, type PrintModel } from '../api/modelTypes.js';
import { ProgressBar } from '../common/ProgressBar.js';
import { formatBytes } from '../common/format.js';
import { SelectField, TextField } from '../../form/fields.js';
import { FileDrop } from './FileDrop.js';
import { MetadataSummary } from './MetadataSummary.js';
import { uploadRevision } from './uploadRevision.js';
import { useFileAnalysis } from './useFileAnalysis.js';

interface Props {
  models: readonly PrintModel[];
  /** False when the server has no model library: files can be read, not uploaded. */
  canUpload: boolean;
  orgId: string | null;
  onUploaded: (modelId: string) => void;
}

type Upload =
  { kind: 'idle' } | { kind: 'sending'; percent: number } | { kind: 'done'; text: string } | { kind: 'failed'; text: string };

const baseName = (file: string) => file.replace(/(\.gcode)?\.(3mf|gcode|gco|g)$/i, '');

export function UploadPanel({ models, canUpload, orgId, onUploaded }: Props) {
  const api = useFarmApi();
  const headingId = useId();
  const { state, analyze, reset } = useFileAnalysis();
  const [target, setTarget] = useState('');
  const [name, setName] = useState('');
  const [changelog, setChangelog] = useState('');
  const [nameError, setNameError] = useState<string | undefined>();
  const [upload, setUpload] = useState<Upload>({ kind: 'idle' });
  const changelogId = useId();

  const choose = (file: File) => {
    setUpload({ kind: 'idle' });
    setName(baseName(file.name));
    void analyze(file);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (state.kind !== 'ready') return;
    if (!target && !name.trim()) return setNameError('Enter a model name');
    setNameError(undefined);
    setUpload({ kind: 'sending', percent: 0 });
    try {
      const model = target
        ? models.find((m) => m.id === target)
        : parseCreatedModel(await api.post('/api/models', { name: name.trim(), ...(orgId ? { orgId } : {}) }));
      if (!model) throw new Error('that model no longer exists');
      const rev = await uploadRevision({
        modelId: model.id,
        file: state.file,
        sha256: state.analysis.sha256,
        changelog: changelog.trim(),
        token: api.token(),
        onProgress: (percent) => setUpload({ kind: 'sending', percent }),
      });
      setUpload({
        kind: 'done',
        text: `Uploaded ${state.file.name} to ${model.name}${rev ? ` as revision ${rev.number}` : ''}.`,
      });
      setChangelog('');
      reset();
      onUploaded(model.id);
    } catch (err) {
      setUpload({
        kind: 'failed',
        text: isMissingEndpoint(err)
          ? 'Uploading is not available on this server yet.'
          : `The upload failed: ${describeError(err)}`,
      });
    }
  };

  return (
    <section className="panel upload-panel" aria-labelledby={headingId}>
      <h2 id={headingId}>Upload a file</h2>
      <FileDrop onFile={choose} disabled={upload.kind === 'sending'} />
      {state.kind === 'reading' && (
        <ProgressBar label={`Reading ${state.file.name}`} value={state.progress} detail="reading and checking the file" />
      )}
      {state.kind === 'failed' && (
        <p className="field-error" role="alert">
          {state.file.name} could not be read: {state.message}
        </p>
      )}
      {state.kind === 'ready' && (
        <form onSubmit={(e) => void submit(e)} noValidate className="upload-form">
          <h3>
            {state.file.name} <span className="muted">({formatBytes(state.analysis.sizeBytes)})</span>
          </h3>
          <MetadataSummary metadata={state.analysis.metadata} />
          <p className="muted sha">SHA-256: {state.analysis.sha256}</p>
          {!canUpload ? (
            <p className="not-available">
              <strong>Not available:</strong> uploading needs the model library, which is not available on this server yet.
            </p>
          ) : (
            <>
              <div className="form-grid">
                <SelectField
                  label="Upload as"
                  value={target}
                  onChange={setTarget}
                  options={[
                    { value: '', label: 'A new model' },
                    ...models.map((m) => ({ value: m.id, label: `New revision of ${m.name}` })),
                  ]}
                />
                {target === '' && <TextField label="Model name" value={name} onChange={setName} error={nameError} required />}
                <div className="field field-wide">
                  <label htmlFor={changelogId}>Changelog</label>
                  <textarea
                    id={changelogId}
                    rows={3}
                    value={changelog}
                    onChange={(e) => setChangelog(e.target.value)}
                    maxLength={2000}
                  />
                </div>
              </div>
              <div className="form-actions">
                <button type="submit" className="primary" disabled={upload.kind === 'sending'}>
                  Upload
                </button>
                <button type="button" onClick={reset} disabled={upload.kind === 'sending'}>
                  Choose another file
                </button>
              </div>
            </>
          )}
        </form>
      )}
      {upload.kind === 'sending' && <ProgressBar label="Uploading" value={upload.percent} />}
      <p className={upload.kind === 'failed' ? 'field-error' : 'form-ok'} role="status">
        {upload.kind === 'done' || upload.kind === 'failed' ? upload.text : ''}
      </p>
    </section>
  );
}
