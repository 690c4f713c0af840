/** Loading, empty and error states, the same on every page. */
import type { ReactNode } from 'react';
import { ApiError } from '../api/client';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

/** A refusal in the API's own words (its code below), or another failure's message. */
export function ErrorMessage({ error, children }: { error: unknown; children?: ReactNode }) {
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="notice notice-error" role="alert">
      <p>{message}</p>
      {error instanceof ApiError && error.fields.length > 0 ? (
        <ul>
          {error.fields.map((field) => (
            <li key={`${field.path}:${field.message}`}>
              {field.path ? <strong>{field.path}: </strong> : null}
              {field.message}
            </li>
          ))}
        </ul>
      ) : null}
      {error instanceof ApiError ? <p className="muted small">{error.code}</p> : null}
      {children}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}
