#!/usr/bin/env python3
"""Writes a copy of the diabetes130 zip without the diag_1/diag_2/diag_3 columns, for the D ~ 200 benchmark.

The seed notebook's reference script takes its width from the data: the three ICD-9 diagnosis columns give 1,358 of
its 1,540 one-hot columns on the 10,000-row sample, so without them the same script runs at D = 182.
Usage: reduced_diabetes_zip.py SOURCE_ZIP TARGET_ZIP   (the target is written outside the project, e.g. /tmp)
"""
import io
import sys
import zipfile

import pandas as pd

ENTRY = 'dataset_diabetes/diabetic_data.csv'
source, target = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(source) as z:
    df = pd.read_csv(io.BytesIO(z.read(ENTRY)), dtype=str, keep_default_na=False)
df = df.drop(columns=['diag_1', 'diag_2', 'diag_3'])
with zipfile.ZipFile(target, 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr(ENTRY, df.to_csv(index=False))
