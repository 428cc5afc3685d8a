/**
 * Welsh for the widget's own words (the `widget.*` keys of `words-en.ts`). Every other key of the widget is the
 * extension's and takes its Welsh from the shared catalogue (`lib/i18n/cy.ts`), and where the widget says what the
 * extension already says in other words, its Welsh is taken from there too: nothing is translated twice. The build
 * makes the Welsh language pack from both (`packs.ts`). Used only at build time and in tests, never in the script.
 */
import { cy } from '@/lib/i18n/cy';
import type { OwnWidgetKey } from './packs';

export const widgetCy: Record<OwnWidgetKey, string> = {
  'widget.done.title': cy['done.received'],
  'widget.error.summary': cy['popup.summaryRequired'],
  // Native review pending.
  'widget.loading': 'Yn agor y ffurflen adrodd…',
  'widget.unreachable': 'Nid oedd modd cyrraedd {endpoint}. Gwiriwch eich cysylltiad a rhoi cynnig arall arni.',
  'widget.notAllowed': 'Nid yw’r wefan hon wedi’i gosod i anfon adroddiadau at {endpoint}, felly ni ellir defnyddio’r ffurflen yma. Mae eich cysylltiad yn iawn: mae angen i berchennog y wefan drwsio hyn.',
  'widget.exitHint': 'neu pwyswch Esc ddwywaith',
  'widget.retry': 'Rhoi cynnig arall arni',
  'widget.close': 'Cau',
  'widget.notTaken': 'Nid yw {name} fel arfer yn derbyn adroddiadau am: {categories}. Gallwch ddweud wrthyn nhw o hyd.',
  'widget.anonymousRefused': 'Nid yw {name} yn derbyn adroddiadau dienw: rhowch ffordd i gysylltu â chi.',
  'widget.items.title': 'Ble welsoch chi hyn?',
  'widget.items.intro': 'Gludwch gyfeiriad pob neges neu dudalen, gyda sgrinluniau os oes gennych rai (nid ydynt yn cael eu dangos yma).',
  'widget.items.url': 'Cyfeiriad neges neu dudalen {number}',
  'widget.items.files': 'Sgrinluniau ar gyfer cyfeiriad {number} (PNG, JPEG neu WebP, hyd at {max} yr un)',
  'widget.items.file': '{name}, {size}',
  'widget.items.removeFile': 'Tynnu {name}',
  'widget.items.stripped': 'Cafodd manylion cudd yn y llun, fel ble y’i tynnwyd, eu dileu.',
  'widget.items.add': 'Ychwanegu cyfeiriad arall',
  'widget.items.remove': 'Tynnu cyfeiriad {number}',
  // Native review pending (issue 23: a picture sent only as its fingerprint).
  'widget.pictures.fingerprint': 'Anfon olion bysedd pob llun yn unig — ni fydd y sefydliad yn ei weld',
  'widget.pictures.fingerprintHint': 'Wedi’u gwneud ar y ddyfais hon, maen nhw’n dangos pan fydd yr un llun yn cael ei adrodd eto; mae’r llun yn aros gyda chi. Dad-diciwch i anfon y lluniau.',
  'widget.items.fingerprinted': '{name}: olion bysedd yn unig',
  'widget.pictures.files': 'Lluniau ar gyfer cyfeiriad {number} (dim ond eu holion bysedd sy’n cael eu hanfon)',
  'widget.fingerprint.failed': 'Nid oedd modd gwneud olion bysedd {name}.',
  'widget.file.notImage': 'Nid yw {name} yn llun PNG, JPEG na WebP, felly ni chafodd ei ychwanegu.',
  'widget.file.tooBig': 'Mae {name} yn fwy na {max}, felly ni chafodd ei ychwanegu.',
  'widget.check.items': 'Cyfeiriadau: {count}, sgrinluniau: {files}',
  'widget.sending': 'Yn anfon eich adroddiad…',
  'widget.queued': 'Mae eich adroddiad wedi’i gadw yn y porwr hwn a bydd yn cael ei anfon pan fydd modd cyrraedd y gwasanaeth: cadwch y dudalen hon ar agor, neu dewch yn ôl yn nes ymlaen.',
  'widget.waiting': 'Bydd eich adroddiad yn cael ei anfon pan fydd modd cyrraedd y gwasanaeth: cadwch y dudalen hon ar agor nes iddo gael ei anfon.',
  'widget.keep': 'Ei gadw yn y porwr hwn nes iddo gael ei anfon',
  'widget.keepHint': 'Yna bydd yn cael ei anfon pan ddewch yn ôl i’r dudalen hon. Nes iddo gael ei anfon, gallai unrhyw un sy’n defnyddio’r porwr hwn, a’r wefan hon, ei ddarllen.',
  'widget.cannotKeep': 'Bydd eich adroddiad yn cael ei anfon pan fydd modd cyrraedd y gwasanaeth. Nid yw’r porwr hwn yn gadael i’r wefan ei gadw, felly cadwch y dudalen hon ar agor nes iddo gael ei anfon.',
  'widget.attention': 'Nid oedd y sefydliad yn gallu derbyn yr adroddiad: {message}',
  'widget.done.reference': 'Eich rhif cyfeirnod',
  'widget.done.token': 'Eich cod statws',
  'widget.done.tokenHint': 'Dim ond unwaith y caiff ei ddangos: cadwch ef gyda’r rhif cyfeirnod. I weld beth sy’n digwydd i’ch adroddiad ac ateb unrhyw gwestiynau, ewch i',
  'widget.done.copy': 'Copïo’r cod statws',
  'widget.done.copied': 'Wedi’i gopïo.',
  'widget.done.again': 'Rhoi gwybod am rywbeth arall',
  'widget.error.email': 'Rhowch gyfeiriad e-bost fel enw@example.org',
  'widget.error.phone': 'Rhowch rif ffôn gan ddefnyddio digidau, bylchau a + dewisol ar y dechrau',
  'widget.error.items': 'Ychwanegwch o leiaf un cyfeiriad',
  'widget.error.webUrl': 'Defnyddiwch gyfeiriad gwe llawn sy’n dechrau gyda http:// neu https://',
  'widget.error.byEmail': 'Rhowch gyfeiriad e-bost i gael eich cysylltu drwy e-bost',
  'widget.error.byPhone': 'Rhowch rif ffôn i gael eich cysylltu dros y ffôn',
};
