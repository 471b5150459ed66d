import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { listFiles } from './helpers';
import { generateSample, SAMPLES } from '../scripts/generate-samples';

describe('samples/', () => {
  it.each(SAMPLES.map((sample) => [sample.folder, sample]))('%s is what the current code generates (run `npx projen samples` after a change)', (_folder, { runtime, folder }) => {
    const committed = path.join(__dirname, '..', 'samples', folder);
    const fresh = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'csf-sample-')), folder);
    generateSample(runtime, folder, fresh);

    expect(listFiles(committed)).toEqual(listFiles(fresh));
    for (const file of listFiles(fresh)) {
      expect({ file, text: fs.readFileSync(path.join(committed, file), 'utf-8') }).toEqual({ file, text: fs.readFileSync(path.join(fresh, file), 'utf-8') });
    }
  });
});
