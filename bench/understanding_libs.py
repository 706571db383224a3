"""The measurements behind the answering layer's choice of libraries (issue 8, "measure before choosing").

1. Stemmer: PyStemmer's Indonesian Snowball (chosen), PySastrawi (dictionary based), or none: accuracy of
   the whole evaluation (development and held-out sets) with each, and the time per question.
2. Typo correction over the 300-service pack's vocabulary: rapidfuzz (chosen) against the standard
   library's difflib: time per correction and how often the intended word comes back.
3. Ranking the fact documents of the 300-service pack: the layer's own BM25 over an inverted index
   (chosen) against bm25s and scikit-learn's TF-IDF: import time, time per query, and how often the best
   document agrees with the layer's own.

Candidates that are not project dependencies are measured when installed (``pip install PySastrawi bm25s
scikit-learn``) and skipped otherwise. About 20 s.

    .venv/bin/python bench/understanding_libs.py
"""
from __future__ import annotations

import difflib
import importlib
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.answering import index as index_module  # noqa: E402
from bot.answering import words  # noqa: E402
from tests.understanding.bigpack import big_pack  # noqa: E402
from tests.understanding.evaluation import accuracy, evaluate  # noqa: E402


class _Sastrawi:
    def __init__(self):
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
        self.stemmer = StemmerFactory().create_stemmer()

    def stemWord(self, word: str) -> str:  # noqa: N802  (PyStemmer's name)
        return self.stemmer.stem(word)


class _Identity:
    def stemWord(self, word: str) -> str:  # noqa: N802
        return word


def stemmers() -> None:
    print("== 1. stemmer: accuracy of the evaluation with each (dev / held-out, wrong-service answers)")
    original = words._stemmer
    candidates = [("PyStemmer indonesian (Snowball, BSD/MIT)", None), ("none (words as typed)", _Identity)]
    if importlib.util.find_spec("Sastrawi"):
        candidates.insert(1, ("PySastrawi (MIT code; ships a word list)", _Sastrawi))
    for name, make in candidates:
        if make is not None:
            stemmer = make()
            words._stemmer = lambda stemmer=stemmer: stemmer  # noqa: E731
        words.stem.cache_clear()
        index_module._cache.clear()
        started = time.perf_counter()
        dev, hold = evaluate("dev.yaml"), evaluate("holdout.yaml")
        seconds = (time.perf_counter() - started) / (len(dev) + len(hold))
        wrong = sum(o.wrong_service for o in dev + hold)
        print(f"  {name:<44} dev {accuracy(dev) * 100:5.1f}%  held-out {accuracy(hold) * 100:5.1f}%  "
              f"wrong-service {wrong}  {seconds * 1000:.2f} ms/question (cold stem cache)")
        words._stemmer = original
    words.stem.cache_clear()
    index_module._cache.clear()


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word))
    op = rng.choice("dsi")
    if op == "d":
        return word[:i] + word[i + 1:]
    if op == "s":
        return word[:i] + rng.choice("aeiounrst") + word[i + 1:]
    return word[:i] + rng.choice("aeiounrst") + word[i:]


def spellers(index) -> None:
    print("== 2. typo correction over the 300-service vocabulary")
    vocab = sorted(index.speller.known)
    rng = random.Random(8)
    targets = rng.sample([w for w in vocab if len(w) >= 6], 200)
    typos = [_typo(w, rng) for w in targets]
    t0 = time.perf_counter()
    fixed = [index.speller.correct(t) for t in typos]
    t1 = time.perf_counter()
    by_first: dict[str, list[str]] = {}
    for w in vocab:
        by_first.setdefault(w[0], []).append(w)
    close = [(difflib.get_close_matches(t, by_first.get(t[0], []), n=1, cutoff=0.8) or [t])[0] for t in typos]
    t2 = time.perf_counter()
    print(f"  vocabulary {len(vocab)} words, 200 misspelt words")
    print(f"  rapidfuzz Levenshtein  {(t1 - t0) / 200 * 1000:.3f} ms/word, right word back {sum(a == b for a, b in zip(fixed, targets)) / 2:.1f}%")
    print(f"  difflib close matches  {(t2 - t1) / 200 * 1000:.3f} ms/word, right word back {sum(a == b for a, b in zip(close, targets)) / 2:.1f}%")


def rankers(index) -> None:
    print("== 3. ranking 300 services' fact documents")
    rng = random.Random(15)
    docs_terms: list[list[str]] = [[] for _ in index.docs]
    for term, postings in index.postings.items():
        for doc, tf in postings:
            docs_terms[doc].extend([term] * tf)
    queries = []
    for _ in range(1000):
        doc = rng.randrange(len(docs_terms))
        if len(set(docs_terms[doc])) >= 2:
            queries.append(rng.sample(sorted(set(docs_terms[doc])), 2))
    own_best = []
    t0 = time.perf_counter()
    for q in queries:
        scores = index.bm25(set(q))
        own_best.append(max(scores, key=lambda d: scores[d][0]) if scores else -1)
    own = (time.perf_counter() - t0) / len(queries)
    print(f"  {len(index.docs)} documents, {len(queries)} two-word queries")
    print(f"  own BM25 (inverted index, pure Python)   import 0 ms        {own * 1000:.3f} ms/query")
    if importlib.util.find_spec("bm25s"):
        t = time.perf_counter()
        bm25s = importlib.import_module("bm25s")
        imported = time.perf_counter() - t
        retriever = bm25s.BM25(k1=1.2, b=0.75)
        retriever.index(docs_terms, show_progress=False)
        vocab = retriever.vocab_dict
        agree, t0 = 0, time.perf_counter()
        for q, best in zip(queries, own_best):
            ids = [vocab[w] for w in q if w in vocab]
            scores = retriever.get_scores(ids) if ids else None
            agree += scores is not None and int(scores.argmax()) == best
        took = (time.perf_counter() - t0) / len(queries)
        print(f"  bm25s                                    import {imported * 1000:.0f} ms    {took * 1000:.3f} ms/query, "
              f"same best document {agree / len(queries) * 100:.1f}%")
    if importlib.util.find_spec("sklearn"):
        t = time.perf_counter()
        text = importlib.import_module("sklearn.feature_extraction.text")
        imported = time.perf_counter() - t
        vectorizer = text.TfidfVectorizer(analyzer=lambda terms: terms)
        matrix = vectorizer.fit_transform(docs_terms)
        agree, t0 = 0, time.perf_counter()
        for q, best in zip(queries, own_best):
            scores = (matrix @ vectorizer.transform([q]).T).toarray().ravel()
            agree += int(scores.argmax()) == best
        took = (time.perf_counter() - t0) / len(queries)
        print(f"  scikit-learn TF-IDF (cosine)             import {imported * 1000:.0f} ms   {took * 1000:.3f} ms/query, "
              f"same best document {agree / len(queries) * 100:.1f}%")


def main() -> int:
    stemmers()
    index = index_module.build_index(big_pack(300))
    spellers(index)
    rankers(index)
    return 0


if __name__ == "__main__":
    sys.exit(main())
