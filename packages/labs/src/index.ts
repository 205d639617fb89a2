// @praxis/labs: the lab format. Load a lab folder into a checked, templated Lab (or a list of
// located errors), validate one lab or a folder of labs, and format those errors for people.
export * from './lab.schema';
export * from './lab.types';
export { loadLab, LAB_FILE, type LoadLabOptions } from './load-lab';
export { translatedPath } from './load-translations';
export { localizeFinish, localizeLab, localizeQuestion, pickLanguage } from './localize';
export * from './plan-stages';
export { findLabDirs, validateLab, validateLabs, formatLabIssue, type LabValidation } from './validate-lab';
export { renderTemplate, findUnknownVariables, shellVariables } from './render-template';
export { locateField } from './yaml-locate';
// The one field-path form: topology issues and lab issues read alike.
export { formatFieldPath } from '@praxis/topology';
export { describeYamlErrors } from './describe-yaml-errors';
export { describeSchemaIssues, suggestName, type SchemaProblem } from './describe-schema-issues';
export * from './import/index';
