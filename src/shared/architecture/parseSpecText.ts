import { modelSpecSchema, type ModelSpec } from './modelSpec';

/**
 * A ModelSpec JSON file's text, parsed and checked against the schema; what is wrong is named with the file and the
 * place in it (`model.json: nodes.3.inputs: …`). The editor's Open and the CLI's --spec both read files this way.
 * Whether the graph is sound (shapes, cycles) is analyzeSpec's question, asked afterwards.
 */
export function parseSpecText(text: string, fileName: string): ModelSpec {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${fileName} is not JSON: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  const parsed = modelSpecSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.map(String).join('.') || 'the document'}: ${issue.message}`);
    throw new Error(`${fileName} is not a ModelSpec: ${issues.join('; ')}`);
  }
  return parsed.data;
}
