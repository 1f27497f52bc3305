import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/api-error';

/** An API failure, announced to assistive technology; the server's message is shown as it came (with its code). */
export function ErrorNotice({ error, context }: { error: ApiError | Error; context?: string }) {
  const { t } = useTranslation();
  const code = 'code' in error ? error.code : undefined;
  const status = 'status' in error ? error.status : undefined;
  return (
    <div className="notice error" role="alert">
      <p>
        <strong>{context ?? t('common.error')}</strong>
      </p>
      <p>
        {status === 0 ? t('common.networkError') : error.message}
        {code && status !== 0 ? <code className="code">{code}</code> : null}
      </p>
    </div>
  );
}
