"""Fixed reference facts that are not in the CSV files: region names and the ASEAN member states."""

# (scheme, code) → (Thai, English). The CSV names regions in English (North, Central, ...).
REGIONS = {
    ("4", "north"): ("ภาคเหนือ", "North"),
    ("4", "central"): ("ภาคกลาง", "Central"),
    ("4", "northeast"): ("ภาคตะวันออกเฉียงเหนือ", "Northeast"),
    ("4", "south"): ("ภาคใต้", "South"),
    ("6", "north"): ("ภาคเหนือ", "North"),
    ("6", "northeast"): ("ภาคตะวันออกเฉียงเหนือ", "Northeast"),
    ("6", "central"): ("ภาคกลาง", "Central"),
    ("6", "east"): ("ภาคตะวันออก", "East"),
    ("6", "west"): ("ภาคตะวันตก", "West"),
    ("6", "south"): ("ภาคใต้", "South"),
}

# ASEAN member states, Timor-Leste included since it joined in October 2025.
COUNTRIES = {
    "BN": ("บรูไนดารุสซาลาม", "Brunei Darussalam"),
    "KH": ("กัมพูชา", "Cambodia"),
    "ID": ("อินโดนีเซีย", "Indonesia"),
    "LA": ("สปป. ลาว", "Lao PDR"),
    "MY": ("มาเลเซีย", "Malaysia"),
    "MM": ("เมียนมา", "Myanmar"),
    "PH": ("ฟิลิปปินส์", "Philippines"),
    "SG": ("สิงคโปร์", "Singapore"),
    "TH": ("ไทย", "Thailand"),
    "VN": ("เวียดนาม", "Viet Nam"),
    "TL": ("ติมอร์-เลสเต", "Timor-Leste"),
}
