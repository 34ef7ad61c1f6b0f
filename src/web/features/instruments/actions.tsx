/** The screen-level pieces of the instrument pages: the announcement text and the retire/wording dialogs. */
import { useState } from 'react';
import { useT } from '../../i18n/use-t';
import { RetireDialog, type VersionTarget } from './retire-dialog';
import { WordingDialog } from './wording-dialog';

/** The admin screen's shared announcer text and dialog targets. */
export function useInstrumentActions() {
  const t = useT();
  const [announce, setAnnounce] = useState('');
  const [retiring, setRetiring] = useState<VersionTarget | null>(null);
  const [wording, setWording] = useState<VersionTarget | null>(null);
  const dialogs = (
    <>
      <RetireDialog
        target={retiring}
        onClose={() => setRetiring(null)}
        onRetired={(v) => {
          setRetiring(null);
          setAnnounce(t('instruments.retired', { title: v.title, version: v.version }));
        }}
      />
      <WordingDialog
        target={wording}
        onClose={() => setWording(null)}
        onUploaded={(v, count) => {
          setWording(null);
          setAnnounce(t('instruments.wording.done', { title: v.title, version: v.version, count }));
        }}
      />
    </>
  );
  return { announce, setAnnounce, setRetiring, setWording, dialogs };
}
