/** What every tab of the participant page receives. */
import type { Program } from '../programs/api';
import type { ParticipantItem } from './api';

export interface CaseContext {
  participant: ParticipantItem;
  program: Program | undefined;
  /** The user's roles: only to preselect their discipline (what they may do comes from useCan). */
  roles: string[];
  userId: string;
}
