/**
 * Quizzes drawn from a module's bank: a draw spread across the lessons (tags), shuffled options
 * and matching sides, a snapshot of exactly what was shown, and grading against that snapshot
 * (so later edits to the bank never change a past attempt). Pure: randomness is injected.
 */
import type { BankItem, LocalText } from './academy.ts';

export type Random = () => number;

/** What an attempt stores for one item: the item as shown (order included) and its key. */
export interface SnapshotItem {
  id: string;
  kind: BankItem['kind'];
  stem: LocalText;
  scenario?: LocalText;
  /** Options in the order shown (single, multiple, scenario), with ids made up for this attempt. */
  options?: { id: string; text: LocalText; correct: boolean }[];
  /** Truefalse key. */
  answer?: boolean;
  /** Matching: left sides in bank order, right sides in the order shown; ids made up for this attempt, `pair` is the key. */
  lefts?: { id: string; text: LocalText; pair: string }[];
  rights?: { id: string; text: LocalText; pair: string }[];
  feedback: { correct: LocalText; incorrect: LocalText };
}

export type Answer =
  { choice: string } | { choices: string[] } | { value: boolean } | { pairs: Record<string, string> };

function shuffle<T>(list: readonly T[], random: Random): T[] {
  const a = [...list];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** Draws `count` items spread across the bank's tags (round-robin over lessons), then shuffles them. */
export function drawQuiz(bank: readonly BankItem[], count: number, random: Random): SnapshotItem[] {
  const byTag = new Map<string, BankItem[]>();
  for (const item of shuffle(bank, random)) {
    const tag = item.tags[0]!;
    byTag.set(tag, [...(byTag.get(tag) ?? []), item]);
  }
  const queues = [...byTag.keys()].sort().map((t) => byTag.get(t)!);
  const picked: BankItem[] = [];
  while (picked.length < Math.min(count, bank.length)) {
    for (const q of queues) if (q.length && picked.length < count) picked.push(q.shift()!);
  }
  return shuffle(picked, random).map((item) => snapshot(item, random));
}

/**
 * Ids the learner sees are made up per attempt: bank ids (and which option is "a") would give the
 * answers away, and a right side must never share an id with its left side.
 */
function freshIds(n: number, random: Random): string[] {
  const out = new Set<string>();
  while (out.size < n)
    out.add(
      Math.floor(random() * 36 ** 6)
        .toString(36)
        .padStart(6, '0'),
    );
  return [...out];
}

function snapshot(item: BankItem, random: Random): SnapshotItem {
  const base = { id: item.id, kind: item.kind, stem: item.stem, feedback: item.feedback };
  const withIds = <T extends { id: string }>(list: readonly T[]) => {
    const ids = freshIds(list.length, random);
    return list.map((x, i) => ({ ...x, id: ids[i]! }));
  };
  switch (item.kind) {
    case 'truefalse':
      return { ...base, answer: item.answer };
    case 'matching': {
      const ids = freshIds(item.pairs.length * 2, random);
      return {
        ...base,
        lefts: item.pairs.map((p, i) => ({ id: ids[i]!, text: p.left, pair: p.id })),
        rights: shuffle(
          item.pairs.map((p, i) => ({ id: ids[item.pairs.length + i]!, text: p.right, pair: p.id })),
          random,
        ),
      };
    }
    case 'scenario':
      return { ...base, scenario: item.scenario, options: shuffle(withIds(item.options), random) };
    default:
      return { ...base, options: shuffle(withIds(item.options), random) };
  }
}

/** The snapshot as the learner may see it during the attempt: no keys, no feedback. */
export function learnerView(items: readonly SnapshotItem[]) {
  return items.map((i) => ({
    id: i.id,
    kind: i.kind,
    stem: i.stem,
    ...(i.scenario ? { scenario: i.scenario } : {}),
    ...(i.options ? { options: i.options.map((o) => ({ id: o.id, text: o.text })) } : {}),
    ...(i.lefts
      ? {
          lefts: i.lefts.map((l) => ({ id: l.id, text: l.text })),
          rights: i.rights!.map((r) => ({ id: r.id, text: r.text })),
        }
      : {}),
  }));
}

/** Checks an answer's shape against its item; returns an error code or null. */
export function checkAnswer(item: SnapshotItem, answer: Answer): string | null {
  const ids = new Set(item.options?.map((o) => o.id));
  switch (item.kind) {
    case 'single':
    case 'scenario':
      return 'choice' in answer && ids.has(answer.choice) ? null : 'invalid_choice';
    case 'multiple':
      return 'choices' in answer &&
        answer.choices.length <= ids.size &&
        new Set(answer.choices).size === answer.choices.length &&
        answer.choices.every((c) => ids.has(c))
        ? null
        : 'invalid_choices';
    case 'truefalse':
      return 'value' in answer && typeof answer.value === 'boolean' ? null : 'invalid_value';
    case 'matching': {
      if (!('pairs' in answer)) return 'invalid_pairs';
      const lefts = new Set(item.lefts!.map((l) => l.id));
      const rights = new Set(item.rights!.map((r) => r.id));
      return Object.entries(answer.pairs).every(([l, r]) => lefts.has(l) && rights.has(r)) ? null : 'invalid_pairs';
    }
  }
}

/** Credit for one answer, 0..1: exact for choices (all-or-nothing for multiple), per pair for matching. */
export function creditFor(item: SnapshotItem, answer: Answer | undefined): number {
  if (!answer || checkAnswer(item, answer)) return 0;
  switch (item.kind) {
    case 'single':
    case 'scenario':
      return item.options!.find((o) => o.id === (answer as { choice: string }).choice)?.correct ? 1 : 0;
    case 'multiple': {
      const chosen = new Set((answer as { choices: string[] }).choices);
      return item.options!.every((o) => o.correct === chosen.has(o.id)) ? 1 : 0;
    }
    case 'truefalse':
      return (answer as { value: boolean }).value === item.answer ? 1 : 0;
    case 'matching': {
      const pairs = (answer as { pairs: Record<string, string> }).pairs;
      const pairOf = new Map(item.rights!.map((r) => [r.id, r.pair]));
      return item.lefts!.filter((l) => pairOf.get(pairs[l.id] ?? '') === l.pair).length / item.lefts!.length;
    }
  }
}

/** Grades an attempt against its snapshot: per-item credit and the percentage (0–100, rounded down). */
export function gradeAttempt(items: readonly SnapshotItem[], answers: Readonly<Record<string, Answer>>) {
  const results = items.map((i) => ({ id: i.id, credit: creditFor(i, answers[i.id]) }));
  const sum = results.reduce((s, r) => s + r.credit, 0);
  return { results, score: items.length ? Math.floor((sum / items.length) * 100 + 1e-9) : 0 };
}
