/**
 * The registry of lint checks, by code and by name. Adding a check: write its module under
 * checks/<family>/ and add one import and one entry here.
 */
import type { Check } from './types.js';
import { themSingleSelection } from './checks/detection/them-single-selection.js';
import { allOfThem } from './checks/detection/all-of-them.js';
import { allWithoutContains } from './checks/detection/all-without-contains.js';
import { base64offsetWithoutContains } from './checks/detection/base64offset-without-contains.js';
import { windashWithAll } from './checks/detection/windash-with-all.js';
import { wildcardOnlyValue } from './checks/detection/wildcard-only-value.js';
import { doubleWildcard } from './checks/detection/double-wildcard.js';
import { wildcardsInsteadOfModifiers } from './checks/detection/wildcards-instead-of-modifiers.js';
import { escapedWildcard } from './checks/detection/escaped-wildcard.js';
import { numberAsString } from './checks/detection/number-as-string.js';
import { controlCharacter } from './checks/detection/control-character.js';
import { regexUnsupportedConstruct } from './checks/detection/regex-unsupported-construct.js';
import { fieldNotInTaxonomy } from './checks/detection/field-not-in-taxonomy.js';
import { logsourceUnknown } from './checks/logsource/logsource-unknown.js';
import { specificInsteadOfGeneric } from './checks/logsource/specific-instead-of-generic.js';
import { sysmonMissingEventid } from './checks/logsource/sysmon-missing-eventid.js';
import { logsourceCustomAttribute } from './checks/logsource/logsource-custom-attribute.js';
import { categoryEventid } from './checks/logsource/category-eventid.js';
import { idMissing } from './checks/metadata/id-missing.js';
import { idMalformed } from './checks/metadata/id-malformed.js';
import { titleLength } from './checks/metadata/title-length.js';
import { titleStart } from './checks/metadata/title-start.js';
import { titleEnd } from './checks/metadata/title-end.js';
import { titleCase } from './checks/metadata/title-case.js';
import { dateMissing } from './checks/metadata/date-missing.js';
import { modifiedBeforeDate } from './checks/metadata/modified-before-date.js';
import { modifiedWithoutDate } from './checks/metadata/modified-without-date.js';
import { modifiedRedundant } from './checks/metadata/modified-redundant.js';
import { statusMissing } from './checks/metadata/status-missing.js';
import { statusInvalid } from './checks/metadata/status-invalid.js';
import { statusRetired } from './checks/metadata/status-retired.js';
import { levelMissing } from './checks/metadata/level-missing.js';
import { levelInvalid } from './checks/metadata/level-invalid.js';
import { descriptionMissing } from './checks/metadata/description-missing.js';
import { descriptionShort } from './checks/metadata/description-short.js';
import { descriptionLink } from './checks/metadata/description-link.js';
import { referencesDuplicate } from './checks/metadata/references-duplicate.js';
import { referencesGithubBranch } from './checks/metadata/references-github-branch.js';
import { referencesMitreLink } from './checks/metadata/references-mitre-link.js';
import { authorMissing } from './checks/metadata/author-missing.js';
import { falsepositivesCapital } from './checks/metadata/falsepositives-capital.js';
import { falsepositivesWording } from './checks/metadata/falsepositives-wording.js';
import { customAttributeTypo } from './checks/metadata/custom-attribute-typo.js';
import { unknownField } from './checks/metadata/unknown-field.js';
import { noisyRule } from './checks/noise/noisy-rule.js';
import { tagFormat } from './checks/tags/tag-format.js';
import { tagNamespace } from './checks/tags/tag-namespace.js';
import { tagDuplicate } from './checks/tags/tag-duplicate.js';
import { attackUnknown } from './checks/tags/attack-unknown.js';
import { attackNewer } from './checks/tags/attack-newer.js';
import { attackRevoked } from './checks/tags/attack-revoked.js';
import { attackTechniqueWithoutTactic } from './checks/tags/attack-technique-without-tactic.js';
import { d3fendUnknown } from './checks/tags/d3fend-unknown.js';
import { tlpInvalid } from './checks/tags/tlp-invalid.js';
import { tagPattern } from './checks/tags/tag-pattern.js';
import { duplicateId } from './checks/cross-file/duplicate-id.js';
import { duplicateTitle } from './checks/cross-file/duplicate-title.js';
import { duplicateDetection } from './checks/cross-file/duplicate-detection.js';
import { duplicateFilename } from './checks/cross-file/duplicate-filename.js';

import { statusTooYoung } from './checks/metadata/status-too-young.js';
import { filenameLength } from './checks/metadata/filename-length.js';
import { filenameConvention } from './checks/metadata/filename-convention.js';
import { correlationFilenamePrefix } from './checks/metadata/correlation-filename-prefix.js';
import { ofselectionSingle } from './checks/detection/ofselection-single.js';
import { fieldnameCast } from './checks/detection/fieldname-cast.js';
import { invalidHashKv } from './checks/detection/invalid-hash-kv.js';
import { redundantField } from './checks/detection/redundant-field.js';
import { windowsProviderName } from './checks/logsource/windows-provider-name.js';
import { filenamePrefix } from './checks/cross-file/filename-prefix.js';
import { missingAsterisk } from './checks/detection/missing-asterisk.js';
import { spaceFieldname } from './checks/detection/space-fieldname.js';
import { fieldDuplicateValue } from './checks/detection/field-duplicate-value.js';
import { fieldUserLocalized } from './checks/detection/field-user-localized.js';
import { invalidFieldname } from './checks/detection/invalid-fieldname.js';
export const checks: readonly Check[] = [
  themSingleSelection,
  allOfThem,
  allWithoutContains,
  base64offsetWithoutContains,
  windashWithAll,
  wildcardOnlyValue,
  doubleWildcard,
  wildcardsInsteadOfModifiers,
  escapedWildcard,
  numberAsString,
  controlCharacter,
  regexUnsupportedConstruct,
  fieldNotInTaxonomy,
  logsourceUnknown,
  specificInsteadOfGeneric,
  sysmonMissingEventid,
  logsourceCustomAttribute,
  categoryEventid,
  idMissing,
  idMalformed,
  titleLength,
  titleStart,
  titleEnd,
  titleCase,
  dateMissing,
  modifiedBeforeDate,
  modifiedWithoutDate,
  modifiedRedundant,
  statusMissing,
  statusInvalid,
  statusRetired,
  levelMissing,
  levelInvalid,
  descriptionMissing,
  descriptionShort,
  descriptionLink,
  referencesDuplicate,
  referencesGithubBranch,
  referencesMitreLink,
  authorMissing,
  falsepositivesCapital,
  falsepositivesWording,
  customAttributeTypo,
  unknownField,
  noisyRule,
  tagFormat,
  tagNamespace,
  tagDuplicate,
  attackUnknown,
  attackNewer,
  attackRevoked,
  attackTechniqueWithoutTactic,
  d3fendUnknown,
  tlpInvalid,
  tagPattern,
  duplicateId,
  duplicateTitle,
  duplicateDetection,
  duplicateFilename,
  statusTooYoung,
  filenameLength,
  filenameConvention,
  correlationFilenamePrefix,
  ofselectionSingle,
  fieldnameCast,
  invalidHashKv,
  redundantField,
  windowsProviderName,
  filenamePrefix,
  missingAsterisk,
  spaceFieldname,
  fieldDuplicateValue,
  fieldUserLocalized,
  invalidFieldname,
];

const byKey = new Map<string, Check>();
for (const c of checks) {
  byKey.set(c.meta.code, c);
  byKey.set(c.meta.name, c);
}

/** A check by code (`D004`) or name (`base64offset-without-contains`). */
export function checkByKey(key: string): Check | undefined {
  return byKey.get(key) ?? byKey.get(key.toUpperCase());
}
