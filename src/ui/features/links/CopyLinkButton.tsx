/** "Copy link to this view": the page address with the view in its fragment (see link-sync.ts). */
import { useEffect, useState } from 'react';
import { useViewer } from '../../state/viewer';
import { currentLink } from './link-sync';

/** Clipboard API where allowed (secure contexts), else a selected textarea and execCommand. */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const ta = document.createElement('textarea');
    ta.value = text;
    ta.setAttribute('readonly', '');
    ta.style.position = 'fixed';
    ta.style.opacity = '0';
    document.body.append(ta);
    ta.select();
    const ok = document.execCommand('copy');
    ta.remove();
    return ok;
  }
}

export function CopyLinkButton() {
  const hasFile = useViewer((s) => s.fileName !== '');
  const [copied, setCopied] = useState<'yes' | 'no' | undefined>(undefined);
  useEffect(() => {
    if (!copied) return;
    const t = setTimeout(() => setCopied(undefined), 2000);
    return () => clearTimeout(t);
  }, [copied]);
  return (
    <button
      type="button"
      data-testid="copy-link"
      disabled={!hasFile}
      data-link-copied={copied}
      title="Copy a link to this view (selected frame, scroll position, and the capture's URL when it was opened from one). The capture itself is never part of the link."
      onClick={() => {
        const link = currentLink();
        void copyText(link).then((ok) => setCopied(ok ? 'yes' : 'no'));
      }}
    >
      {copied === 'yes' ? 'Link copied' : copied === 'no' ? 'Copy failed' : 'Copy link to this view'}
    </button>
  );
}
