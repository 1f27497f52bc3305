import { useTranslation } from 'react-i18next';
import { CheckpointPanel } from '../ledger/checkpoint-panel';
import { EntriesPanel } from '../ledger/entries-panel';
import { usePinnedKeys } from '../ledger/pinned-keys';
import { PinnedKeysPanel } from '../ledger/pinned-keys-panel';
import { useRoute } from '../router';

/** The public ledger: pin keys, check the checkpoint, verify entries. Needs no sign-in. */
export function LedgerPage() {
  const { t } = useTranslation();
  const { keys, pin, unpin } = usePinnedKeys();
  const index = useRoute().query.get('index');
  return (
    <>
      <h1>{t('ledger.title')}</h1>
      <p className="hint">{t('ledger.intro')}</p>
      <div className="grid">
        <PinnedKeysPanel keys={keys} pin={pin} unpin={unpin} />
        <CheckpointPanel keys={keys} />
        <EntriesPanel keys={keys} focusIndex={index === null ? undefined : Number(index)} />
      </div>
    </>
  );
}
