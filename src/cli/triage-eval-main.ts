import { ConfigError } from '../core/errors.js'
import { defaultEmergencyRulesPath, loadEmergencyRules } from '../tips/emergency.js'
import { crossValidate, defaultCorpusDir, formatTriageReport, passesThresholds, readCorpus, scoreTriage } from '../tips/triage-eval.js'

/** `npm run triage:eval [rules.yaml] [corpus dir]`: needs no Redis; exits 1 below the thresholds. */
const [rulesPath = defaultEmergencyRulesPath, corpusDir = defaultCorpusDir] = process.argv.slice(2)
try {
  const rules = loadEmergencyRules(rulesPath, corpusDir)
  const rows = readCorpus(corpusDir)
  const score = scoreTriage(rules, rows)
  console.log(formatTriageReport(score, crossValidate(rules, rows)))
  if (!passesThresholds(score)) process.exit(1)
} catch (error) {
  console.log(error instanceof ConfigError ? error.message : `cannot evaluate: ${(error as Error).message}`)
  process.exit(2)
}
