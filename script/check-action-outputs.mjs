// CI's `uses: ./` job: the outputs of its three steps, read from the environment, are what they
// must be. Node, not a shell, so that the check is the same on every runner.

const expected = {
  STANDARD_RESULT: 'match',
  STANDARD_ROLE: 'USER',
  OVER_OUTCOME: 'failure',
  OVER_RESULT: 'mismatch',
  OVER_ROLE: 'ADMIN',
  BATCH_MATCHES: 'true'
};
const problems = Object.entries(expected)
  .filter(([name, value]) => process.env[name] !== value)
  .map(([name, value]) => `${name} is ${JSON.stringify(process.env[name])}, not ${JSON.stringify(value)}`);
const batch = JSON.parse(process.env.BATCH_RESULTS ?? '[]').map((key) => `${key.name}: ${key.result}`);
if (batch.join(', ') !== 'FS_INGEST: match, FS_EXPORT: match') problems.push(`BATCH_RESULTS is ${batch.join(', ')}`);
for (const problem of problems) console.log(`::error title=Unexpected output::${problem}`);
console.log(problems.length === 0 ? 'Every output is as expected.' : `${problems.length} outputs are not.`);
process.exitCode = problems.length === 0 ? 0 : 1;
