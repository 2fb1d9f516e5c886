"""One-off conversion of the ONS MYE2 files to the tidy CSVs of this folder (see SOURCE.md).

Run once, with pandas and xlrd>=2.0.2 (not needed at run time):
    python convert.py <folder holding mye_by_year/ and the MYEB3 csv> <this folder>/
"""
import sys
import warnings

import pandas as pd

warnings.filterwarnings("ignore")
S = sys.argv[1].rstrip("/") + "/mye_by_year/"
OUT = sys.argv[2].rstrip("/") + "/"
AGES=[str(a) for a in range(91)]
KEEP=("E06","E07","E08","E09","E10","E92")

def tidy(d, year, codecol=0):
    hdr = d.index[d.iloc[:, 0].astype(str).str.strip().str.upper() == "CODE"][0]
    cols = [str(c).strip() for c in d.iloc[hdr]]
    d = d.iloc[hdr + 1:].copy(); d.columns = cols
    d = d.rename(columns={c: c.lower() for c in cols[:4]})
    d = d.rename(columns=lambda c: str(int(float(c))) if c.replace(".0", "").replace("+","").isdigit() else c)
    d = d.rename(columns={"90+": "90", "all ages": "total"})
    d["code"] = d["code"].astype(str).str.strip()
    d = d[d["code"].str[:3].isin(KEEP)]
    out = d[["code", "name", "total"] + AGES].copy()
    for c in ["total"] + AGES:
        out[c] = pd.to_numeric(out[c].astype(str).str.replace(",", ""), errors="raise").astype(int)
    out.insert(0, "year", year)
    out["order"] = range(len(out))
    assert (out[AGES].sum(axis=1) == out["total"]).all(), year
    return out

frames = []
d = pd.read_csv(S + "MYE2_mid2014_UK_persons-Table1.csv", header=None, dtype=str)
frames.append(tidy(d, 2014))
frames.append(tidy(pd.read_excel(S + "MYE2_population_by_sex_and_age_for_local_authorities_UK_2015.xls", sheet_name="Persons UK", header=None, engine="xlrd"), 2015))
frames.append(tidy(pd.read_excel(S + "ukmidyearestimates2016.xls", sheet_name="MYE2 - All", header=None, engine="xlrd"), 2016))
frames.append(tidy(pd.read_excel(S + "ukmidyearestimates2017finalversion.xls", sheet_name="MYE2 - All", header=None, engine="xlrd"), 2017))
frames.append(tidy(pd.read_excel(S + "ukmidyearestimates20182019ladcodes.xls", sheet_name="MYE2-All", header=None, engine="xlrd"), 2018))

# district -> county, from row order (a county row is followed by its districts)
def parents(f):
    rows = []
    county = None
    for code in f.sort_values("order")["code"]:
        if code.startswith("E10"): county = code
        elif code.startswith("E07"): rows.append((code, county))
        else: county = None if not code.startswith("E07") else county
    return rows
maps = []
for f in frames:
    y = int(f["year"].iloc[0])
    for lad, cty in parents(f):
        maps.append((lad, cty, y))
m = pd.DataFrame(maps, columns=["district_code", "county_code", "year"])
assert m["county_code"].notna().all()

# mid-2011, Nomis long form on 2018 LAD codes
t = pd.read_csv(S + "NM_2002_1_151616f94c529da389b698c548ded518_mid2011_LAD2018_sya_sex.tsv", sep="\t", dtype={"GEOGRAPHY_CODE": str})
t = t[t["GEOGRAPHY_CODE"].str[:3].isin(KEEP)]
t["age"] = (t["C_AGE"] - 101).astype(str)
w = t.pivot_table(index="GEOGRAPHY_CODE", columns="age", values="OBS_VALUE", aggfunc="sum")[AGES].reset_index().rename(columns={"GEOGRAPHY_CODE": "code"})
w.columns.name = None
w["total"] = w[AGES].sum(axis=1)
# 2018 LAD codes = 2017 LAD codes? use the 2017 map
m17 = m[m["year"] == 2017].set_index("district_code")["county_code"]
miss = set(w.loc[w["code"].str.startswith("E07"), "code"]) - set(m17.index)
print("2011 districts not in 2017 map:", miss)
dist = w[w["code"].str.startswith("E07")].copy()
dist["county"] = dist["code"].map(m17)
cty = dist.groupby("county")[AGES + ["total"]].sum().reset_index().rename(columns={"county": "code"})
names17 = frames[3].set_index("code")["name"]
w = pd.concat([w, cty], ignore_index=True)
w["name"] = w["code"].map(names17)
eng = w[~w["code"].str.startswith("E07")][AGES + ["total"]].sum()
eng = pd.DataFrame([dict(code="E92000001", name="ENGLAND", **eng.to_dict())])
w = pd.concat([w, eng], ignore_index=True)
w.insert(0, "year", 2011)
print("2011 unnamed:", w.loc[w["name"].isna(), "code"].tolist())
allf = pd.concat([w] + [f.drop(columns="order") for f in frames], ignore_index=True)[["year", "code", "name", "total"] + AGES]
allf["name"] = allf["name"].astype(str).str.strip()
allf.to_csv(OUT + "mye2_persons_sya_2011_2014_2018_england.csv.gz", index=False, compression={"method": "gzip", "mtime": 0})
m.to_csv(OUT + "district_to_county_2014_2018.csv", index=False)
for y, g in allf.groupby("year"):
    e = g[g.code == "E92000001"].iloc[0]
    print(y, len(g), e["total"], e[AGES[18:]].sum(), e[AGES[65:]].sum())
# MYEB3: England rows, needed columns only
b = pd.read_csv(S + "../MYEB3_summary_components_of_change_series_UK_(2018_geog19).csv", dtype={"ladcode19": str})
b = b[b["ladcode19"].str.startswith("E")][["ladcode19", "laname19"] + [f"population_{y}" for y in range(2011, 2019)]]
b.to_csv(OUT + "myeb3_all_ages_2011_2018_geog19_england.csv", index=False)
print(len(b), b["population_2012"].sum(), b["population_2013"].sum())
