// Finds text written to steer a language model ("ignore previous instructions") inside documents
// that are meant to be data. Used by `knowledge check` so such text never reaches the index.
//
// Rules are tuned against guidance prose: "you are required to…", "act as a controller" and
// "ignore the previous version" are ordinary English here and must not match. Every pattern is
// a fixed sequence of words with bounded gaps (no nested quantifiers), so matching is linear.

export interface InstructionMatch {
  /** Offset of the match in the original text. */
  index: number;
  match: string;
  rule: string;
}

interface Rule {
  name: string;
  pattern: RegExp;
}

const S = String.raw`[\s\u00a0]+`;
const OPT_DETERMINERS = String.raw`(?:(?:all|any|the|your|my|of|these|those|every)${S}){0,3}`;
const EARLIER = String.raw`(?:previous|prior|above|earlier|preceding|foregoing|original|initial|system)`;
const ORDERS = String.raw`(?:instructions?|prompts?|commands?|system${S}messages?|guardrails)`;
const MODEL = String.raw`(?:AI|assistant|chat${S}?bot|bot|language${S}model|LLM|GPT|model|persona|character)`;
const NOT = String.raw`(?:do${S}not|don['\u2019]t|never|must${S}not)`;

function rule(name: string, source: string, flags = 'giu'): Rule {
  return { name, pattern: new RegExp(source, flags) };
}

const RULES: Rule[] = [
  rule(
    'ignore-previous-instructions',
    String.raw`\b(?:ignore|disregard|forget|override|bypass)${S}${OPT_DETERMINERS}${EARLIER}${S}${ORDERS}\b`,
  ),
  // "disregard the above." / "ignore everything above", but not "ignore the above-mentioned form".
  rule(
    'disregard-above',
    String.raw`\b(?:ignore|disregard|forget)${S}(?:(?:all|everything|anything)${S})?(?:(?:of${S})?(?:the|this|that)${S})?(?:above|foregoing|(?:you${S}(?:were|have${S}been)${S}told))(?![\w-])`,
  ),
  // A new persona. Roles in a partnership ("you are now a joint controller") are not personas.
  rule(
    'you-are-now',
    String.raw`\byou${S}are${S}now${S}(?:(?:an?|the|my)${S})?(?:[\w-]+${S}){0,2}?${MODEL}\b|\byou${S}are${S}now${S}(?:DAN|my|jailbroken|unrestricted|unfiltered|uncensored|in${S}(?:developer|DAN|god|jailbreak)${S}mode|no${S}longer${S}(?:bound|restricted|limited|an?${S}${MODEL})|free${S}(?:of|from)${S}(?:all${S}|any${S})?(?:rules|restrictions|guidelines|filters))\b`,
  ),
  rule('system-prompt', String.raw`\bsystem${S}prompts?\b`),
  rule(
    'reveal-instructions',
    String.raw`\b(?:reveal|show|print|repeat|output|leak|display|disclose|dump)${S}(?:me${S})?(?:your${S}(?:(?:system|hidden|initial|original|secret|full)${S})?|the${S}(?:system|hidden|initial|original|secret)${S})(?:instructions|prompts?|rules|configuration)\b`,
  ),
  // "act as an unrestricted AI", "act as if you have no rules"; not "act as a controller" or
  // "act as a digital assistant for clinicians".
  rule(
    'act-as',
    String.raw`\bact${S}as${S}(?:(?:an?|the|my|your)${S})?(?:unrestricted|unfiltered|uncensored|jailbroken|evil|rogue|different|new)${S}(?:[\w-]+${S}){0,2}?${MODEL}\b|\bact${S}as${S}(?:DAN|my)\b|\bact${S}as${S}(?:if|though)${S}you${S}(?:are|were|have|had)${S}(?:no|not${S}been|never${S}been)\b`,
  ),
  rule('pretend-to-be', String.raw`\bpretend${S}(?:that${S})?you${S}(?:are|were|have)\b`),
  rule(
    'chat-template-token',
    String.raw`<\|(?:im_start|im_end|im_sep|system|user|assistant|endoftext|eot_id|start_header_id|end_header_id|begin_of_text)\|>|\[\/?INST\]|<<\/?SYS>>`,
  ),
  // Prompt-format section markers; a heading called "Instructions for applicants" is fine.
  rule(
    'instruction-header',
    String.raw`^[ \t]*#{1,6}[ \t]*(?:instruction|new[ \t]+instructions?|system[ \t]+(?:prompt|message))[ \t]*:?[ \t]*$`,
    'gimu',
  ),
  rule(
    'do-not-cite',
    String.raw`\b${NOT}${S}cite\b|\b${NOT}${S}(?:mention|reference)${S}(?:(?:this|these|the|any|your|its)${S})?(?:sources?|citations?|references?)\b|\b${NOT}${S}(?:reveal|disclose)${S}(?:(?:these|the|any|your)${S})?(?:instructions|prompt)\b`,
  ),
  rule('new-instructions', String.raw`\b(?:new|real|actual|true|secret|hidden|override)${S}instructions?[\s\u00a0]*:`),
  rule(
    'from-now-on',
    String.raw`\bfrom${S}now${S}on,?${S}(?:you|the${S}(?:assistant|model|bot))${S}(?:will|must|should|shall)${S}(?:only${S})?(?:respond|answer|reply|act|behave|say|ignore|obey)\b`,
  ),
  rule('jailbreak', String.raw`\b(?:jailbreak|jailbroken|DAN${S}mode|developer${S}mode${S}(?:enabled|on|activated))\b`),
  // Text that speaks to the model reading it, not to the person reading the guidance.
  rule(
    'addressed-to-model',
    String.raw`\b(?:AI|assistant|chatbot|language${S}model|LLM)s?${S}(?:reading|processing|summari[sz]ing)${S}this${S}(?:text|document|page|content|message)\b|\bif${S}you${S}are${S}an?${S}(?:AI|LLM|language${S}model|chatbot)(?![\w-]|${S}(?:developer|company|supplier|vendor|provider|product|firm|start-?up|business|researcher|team|lab|organi[sz]ation)s?\b)`,
  ),
];

export const INJECTION_RULES: readonly string[] = RULES.map((r) => r.name);

// Invisible characters that would let "ig\u200Bnore previous instructions" slip past the rules.
const INVISIBLE = /[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]/u;

/** Every instruction-like passage in `text`, in order of position; empty when there is none. */
export function findInstructionLikeText(text: string): InstructionMatch[] {
  const { clean, offsets } = withoutInvisible(text);
  const found: InstructionMatch[] = [];
  for (const rule of RULES) {
    rule.pattern.lastIndex = 0;
    for (const m of clean.matchAll(rule.pattern)) {
      const start = offsets ? (offsets[m.index] ?? m.index) : m.index;
      const endClean = m.index + m[0].length;
      const end = offsets ? (offsets[endClean - 1] ?? endClean - 1) + 1 : endClean;
      found.push({ index: start, match: text.slice(start, end), rule: rule.name });
    }
  }
  return found.sort((a, b) => a.index - b.index || a.rule.localeCompare(b.rule));
}

/** The text with invisible characters removed, and where each remaining character came from. */
function withoutInvisible(text: string): { clean: string; offsets?: number[] } {
  if (!INVISIBLE.test(text)) return { clean: text };
  let clean = '';
  const offsets: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i] as string;
    if (INVISIBLE.test(ch)) continue;
    clean += ch;
    offsets.push(i);
  }
  return { clean, offsets };
}
