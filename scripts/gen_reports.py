#!/usr/bin/env python3
"""Writes N synthetic Arabic conflict reports as JSON Lines, for benchmarks of the store and
the workers (scripts/bench_workers.sh). The sentences are our own; each incident is told by
two outlets in different words, half the corpus apart, and carries a number of its own, so
that no two texts are the same.

Usage: scripts/gen_reports.py N > reports.jsonl
"""
import json
import sys

PLACES = ["طفس", "نوى", "جاسم", "أنخل", "سراقب", "الميادين", "شهبا", "اليادودة",
          "داعل", "الصنمين", "أريحا", "البوكمال"]

TOLD = [
    "قصفت قوات النظام بالمدفعية الثقيلة بلدة {p} صباح اليوم، ما أدى إلى مقتل {n} مدنيين "
    "وإصابة آخرين بجروح، بحسب ما أفادت به مصادر محلية.",
    "قُتل {n} مدنيين جراء قصف مدفعي لقوات النظام استهدف الأحياء السكنية في {p} اليوم، وفق "
    "ناشطين من أبناء المنطقة تحدثوا عن دمار في عدد من المنازل.",
    "اندلعت اشتباكات عنيفة بين مسلحين محليين وقوات النظام على أطراف {p} مساء اليوم، وأسفرت "
    "عن مقتل {n} عناصر من الطرفين.",
    "دارت اشتباكات بالأسلحة الرشاشة اليوم قرب حاجز عسكري في {p}، وقال شهود إن {n} مقاتلين "
    "قتلوا في المواجهات التي استمرت ساعات.",
    "شنت طائرة مسيرة غارة جوية على سيارة مدنية في محيط {p} اليوم، ما أسفر عن مقتل {n} أشخاص "
    "كانوا بداخلها.",
    "اعتقلت قوات الأمن {n} شبان من أبناء {p} خلال حملة مداهمات للمنازل فجر اليوم، بحسب "
    "مراسل محلي.",
]

CONTEXT = [
    "وتأتي الحادثة بعد أيام من تعزيزات عسكرية وصلت إلى المنطقة قادمة من العاصمة.",
    "وكانت المنطقة قد شهدت هدوءاً نسبياً خلال الأسابيع الماضية بعد اتفاق بين وجهاء محليين "
    "والجهات الأمنية.",
    "ويعاني السكان من نقص حاد في الخدمات الأساسية وانقطاع متكرر للكهرباء والمياه.",
    "وتحدث الأهالي عن حالة من الخوف دفعت عائلات عديدة إلى مغادرة منازلها نحو القرى المجاورة.",
]

CLOSINGS = [
    "ولم تعلق الجهات الرسمية على الحادثة حتى ساعة إعداد هذا التقرير.",
    "وتشهد المنطقة توتراً أمنياً متصاعداً منذ أسابيع.",
    "وناشد الأهالي المنظمات الإنسانية التدخل لمساعدة المتضررين.",
    "وأغلقت المحال التجارية أبوابها في السوق الرئيسي بعد الحادثة.",
]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    half = max(n // 2, 1)
    for i in range(n):
        incident = i % half
        second = 1 if i >= half else 0
        place = PLACES[incident % len(PLACES)]
        day = 1 + (incident // len(PLACES)) % 28
        month = 1 + (incident // (len(PLACES) * 28)) % 12
        year = 2020 + incident // (len(PLACES) * 28 * 12)
        told = TOLD[(incident * 7 + second) % len(TOLD)]
        text = " ".join([
            told.replace("{p}", place).replace("{n}", str(2 + incident)),
            CONTEXT[(incident + second) % len(CONTEXT)],
            CLOSINGS[(i * 3 + incident) % len(CLOSINGS)],
        ])
        print(json.dumps({
            "id": f"gen-{i:06d}",
            "title": f"تقرير من {place}",
            "published": f"{year}-{month:02d}-{day:02d}",
            "source": f"منفذ {i % 3 + 1}",
            "text": text,
        }, ensure_ascii=False))


if __name__ == "__main__":
    main()
