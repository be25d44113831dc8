/** AI test helpers: a private config dir with llm.* pointing at a fake LLM server. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Settings, enableSettingsWrites } from '../../../src/config/settings.js';

await enableSettingsWrites();
import type { FakeLlm } from '../../support/fake-llm.js';

export function aiSettings(fake: FakeLlm | undefined, protocol: 'openai' | 'ollama', extra: Record<string, string> = {}): { settings: Settings; env: NodeJS.ProcessEnv; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kai-ai-'));
  const env: NodeJS.ProcessEnv = { KAI_TUI_CONFIG_DIR: dir, PATH: process.env.PATH };
  const settings = new Settings(env);
  settings.setFromText('llm.provider', protocol);
  settings.setFromText('llm.model', 'fake-model');
  if (fake) {
    if (protocol === 'openai') { settings.setFromText('llm.providers.openai.baseURL', fake.openaiBase); settings.setFromText('llm.providers.openai.apiKey', 'sk-test-key-0123456789abcdef'); }
    else settings.setFromText('llm.providers.ollama.host', fake.ollamaHost);
  }
  settings.setFromText('llm.cacheTtlSec', '0');
  for (const [k, v] of Object.entries(extra)) settings.setFromText(k, v);
  return { settings, env, dir };
}
