/** A read-only value with a Copy button that puts it on the clipboard and says so. */
import { useId, useState } from 'react';

export function CopyField({
  label,
  value,
  description,
  secret = false,
}: {
  label: string;
  value: string;
  description?: string;
  /** Shown once: monospace, and the field says it will not be shown again. */
  secret?: boolean;
}) {
  const id = useId();
  const [copied, setCopied] = useState<'yes' | 'failed' | undefined>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {description ? (
        <p className="hint" id={`${id}-hint`}>
          {description}
        </p>
      ) : null}
      <div className="copy-row">
        <input
          id={id}
          className={secret ? 'mono secret' : 'mono'}
          readOnly
          value={value}
          aria-describedby={description ? `${id}-hint` : undefined}
          onFocus={(event) => event.currentTarget.select()}
        />
        <button type="button" className="button secondary" onClick={copy} aria-label={`Copy ${label}`}>
          Copy
        </button>
      </div>
      <p className="copied small" role="status" aria-live="polite">
        {copied === 'yes'
          ? `${label} copied.`
          : copied === 'failed'
            ? 'Could not copy: select the field and copy it.'
            : ''}
      </p>
    </div>
  );
}
