/** Small inline SVG icons (decorative; aria-hidden). Directional ones mirror in RTL via CSS. */
import type { ReactNode } from 'react';

function Svg({ children, directional }: { children: ReactNode; directional?: boolean }) {
  return (
    <svg
      className={directional ? 'icon icon-directional' : 'icon'}
      viewBox="0 0 24 24"
      width="20"
      height="20"
      aria-hidden="true"
      focusable="false"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      {children}
    </svg>
  );
}

export type IconName =
  | 'work'
  | 'cases'
  | 'overview'
  | 'users'
  | 'audit'
  | 'learning'
  | 'cohorts'
  | 'stats'
  | 'boards'
  | 'chevron'
  | 'user'
  | 'check'
  | 'copy'
  | 'shield'
  | 'download'
  | 'alert'
  | 'plus'
  | 'programs'
  | 'cross'
  | 'eye'
  | 'differs'
  | 'pending'
  | 'lock'
  | 'award'
  | 'grade'
  | 'upload'
  | 'instrument';

const PATHS: Record<IconName, ReactNode> = {
  work: (
    <>
      <rect x="4" y="5" width="16" height="15" rx="2" />
      <path d="M8 3v4M16 3v4M4 10h16M8 14h4" />
    </>
  ),
  cases: (
    <>
      <path d="M4 6h6l2 2h8v10a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2z" />
    </>
  ),
  overview: (
    <>
      <path d="M4 20V10M10 20V4M16 20v-7M22 20H2" />
    </>
  ),
  users: (
    <>
      <circle cx="9" cy="8" r="3.5" />
      <path d="M2.5 20c.8-3.5 3.4-5.5 6.5-5.5s5.7 2 6.5 5.5M16 4.5a3.5 3.5 0 0 1 0 7M18 14.8c1.8.7 3 2.6 3.5 5.2" />
    </>
  ),
  audit: (
    <>
      <path d="M12 3l8 3v6c0 4.5-3.4 8-8 9-4.6-1-8-4.5-8-9V6z" />
      <path d="M9 12l2 2 4-4" />
    </>
  ),
  learning: (
    <>
      <path d="M2 8l10-4 10 4-10 4z" />
      <path d="M6 10v5c2 2 10 2 12 0v-5" />
    </>
  ),
  cohorts: (
    <>
      <circle cx="7" cy="9" r="3" />
      <circle cx="17" cy="9" r="3" />
      <path d="M1.5 20c.6-3 2.7-4.5 5.5-4.5s4.9 1.5 5.5 4.5M11.5 20c.6-3 2.7-4.5 5.5-4.5s4.9 1.5 5.5 4.5" />
    </>
  ),
  stats: (
    <>
      <path d="M3 3v18h18" />
      <path d="M7 15l4-4 3 3 5-6" />
    </>
  ),
  boards: (
    <>
      <rect x="3" y="4" width="18" height="14" rx="2" />
      <path d="M8 21h8M12 18v3" />
    </>
  ),
  chevron: <path d="M9 6l6 6-6 6" />,
  user: (
    <>
      <circle cx="12" cy="8" r="4" />
      <path d="M4 21c1-4.5 4.2-7 8-7s7 2.5 8 7" />
    </>
  ),
  check: <path d="M5 12l5 5L19 7" />,
  copy: (
    <>
      <rect x="9" y="9" width="11" height="11" rx="2" />
      <path d="M5 15V5a2 2 0 0 1 2-2h8" />
    </>
  ),
  shield: <path d="M12 3l8 3v6c0 4.5-3.4 8-8 9-4.6-1-8-4.5-8-9V6z" />,
  download: <path d="M12 4v12M6 11l6 6 6-6M4 20h16" />,
  alert: (
    <>
      <path d="M12 3l10 18H2z" />
      <path d="M12 10v5M12 18v.01" />
    </>
  ),
  plus: <path d="M12 5v14M5 12h14" />,
  programs: (
    <>
      <rect x="3" y="4" width="7" height="7" rx="1" />
      <rect x="14" y="4" width="7" height="7" rx="1" />
      <rect x="3" y="14" width="7" height="7" rx="1" />
      <path d="M14 17.5h7" />
    </>
  ),
  cross: <path d="M6 6l12 12M18 6L6 18" />,
  eye: (
    <>
      <path d="M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12z" />
      <circle cx="12" cy="12" r="3" />
    </>
  ),
  differs: <path d="M5 9h14M5 15h14M16 4L8 20" />,
  pending: (
    <>
      <circle cx="12" cy="12" r="9" />
      <path d="M12 7v5l3 2" />
    </>
  ),
  lock: (
    <>
      <rect x="5" y="11" width="14" height="10" rx="2" />
      <path d="M8 11V7a4 4 0 0 1 8 0v4" />
    </>
  ),
  award: (
    <>
      <circle cx="12" cy="9" r="6" />
      <path d="M8.5 14l-1.5 7 5-3 5 3-1.5-7" />
    </>
  ),
  grade: (
    <>
      <path d="M4 20h4L19 9l-4-4L4 16z" />
      <path d="M13.5 6.5l4 4" />
    </>
  ),
  upload: <path d="M12 20V8M6 13l6-6 6 6M4 4h16" />,
  instrument: (
    <>
      <rect x="5" y="4" width="14" height="17" rx="2" />
      <path d="M9 2.5h6v3H9zM8.5 10.5l1.5 1.5 2.5-2.5M8.5 16l1.5 1.5 2.5-2.5M14.5 11h2M14.5 16.5h2" />
    </>
  ),
};

/** One icon by name. */
export function Icon({ name }: { name: IconName }) {
  return <Svg directional={name === 'chevron'}>{PATHS[name]}</Svg>;
}
