/**
 * Words for the report model's closed lists, for every console page and the referral documents. Where the main
 * catalogue has none fit for a moderator or a platform (the report form's harm labels speak to the person reporting:
 * "hateful words") the console's own are used. Characteristics and statuses reuse the main catalogue's `category.*`
 * and `status.*`; outcomes the console's `workflow.outcome.*`.
 */
import type { HarmType, Platform, ReportStatus, TargetedCharacteristic } from '../../../lib/schema';
import type { Outcome } from '../../../lib/schema/protocol';
import { t } from '../../../lib/i18n';
import { ct } from '../../../lib/i18n/console';

export const harmLabel = (harm: HarmType): string => ct(`label.harm.${harm}`);
export const platformLabel = (platform: Platform): string => ct(`label.platform.${platform}`);
export const characteristicLabel = (characteristic: TargetedCharacteristic): string => t(`category.${characteristic}`);
/** The console's own outcome words: the main catalogue's speak to the reporter ("withdrawn by you"). */
export const outcomeLabel = (outcome: Outcome): string => ct(`workflow.outcome.${outcome}`);
export const statusLabel = (status: ReportStatus): string => t(`status.${status}`);
