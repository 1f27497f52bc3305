"""Trains a tiny acoustic anomaly detector for substation inspection robots, on generated data.

Each sample is a 16-band spectrum of a transformer's hum. Healthy units hum at 100 Hz and its harmonics; a
loose core or partial discharge adds energy in the high bands. A logistic-regression detector is trained by
gradient descent and evaluated on held-out samples. Pure Python, so it runs anywhere a site has python3.
"""
import math
import os
import random

random.seed(int(os.environ.get("SEED", "7")))
BANDS = 16
EPOCHS = int(os.environ.get("EPOCHS", "60"))


def spectrum(faulty: bool) -> list:
    base = [math.exp(-((b - 2) ** 2) / 3.0) + 0.4 * math.exp(-((b - 4) ** 2) / 2.0) for b in range(BANDS)]
    if faulty:
        peak = random.randint(10, 14)
        base = [v + 0.6 * math.exp(-((b - peak) ** 2) / 1.5) for b, v in enumerate(base)]
    return [v + random.gauss(0, 0.12) for v in base]


data = [(spectrum(f), 1.0 if f else 0.0) for f in [random.random() < 0.3 for _ in range(1200)]]
train, test = data[:900], data[900:]
w, b, lr = [0.0] * BANDS, 0.0, 0.5
gpus = os.environ.get("CUDA_VISIBLE_DEVICES", "")
print(f"training on {len(train)} spectra; visible GPUs: {gpus or 'none'}", flush=True)
for epoch in range(EPOCHS):
    loss = 0.0
    gw, gb = [0.0] * BANDS, 0.0
    for x, y in train:
        p = 1 / (1 + math.exp(-(sum(wi * xi for wi, xi in zip(w, x)) + b)))
        loss -= y * math.log(p + 1e-9) + (1 - y) * math.log(1 - p + 1e-9)
        for i in range(BANDS):
            gw[i] += (p - y) * x[i]
        gb += p - y
    w = [wi - lr * g / len(train) for wi, g in zip(w, gw)]
    b -= lr * gb / len(train)
    if epoch % 10 == 0 or epoch == EPOCHS - 1:
        print(f"epoch {epoch:3d} loss {loss / len(train):.4f}", flush=True)
correct = sum((1 / (1 + math.exp(-(sum(wi * xi for wi, xi in zip(w, x)) + b))) > 0.5) == (y == 1.0) for x, y in test)
print(f"held-out accuracy {correct / len(test):.3f} on {len(test)} spectra", flush=True)
