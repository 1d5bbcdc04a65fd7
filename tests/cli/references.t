# rvalid validate: `references` (SPEC 2.3). The referenced column is loaded once, relative
# to the rule file's folder; a value absent from it fails with a sample, a missing cell is not
# looked up; an unreadable file is exit 3 and a file without the column exit 2, in `check`
# and in `validate` alike.

$ mkdir -p $T/r/sub && cd $T/r && printf 'code,name\nUS,United States\nFR,France\n' > countries.csv &&
> printf 'fields:\n  id:      {type: int}\n  country: {type: str, references: {file: countries.csv, column: code}}\n' > r.yaml &&
> printf 'id,country\n1,US\n2,DE\n3,\n4,FR\n5,us\n' > d.csv && printf 'id,country\n1,US\n4,FR\n' > ok.csv && echo ready
  ready

# ---- a hit passes, a miss fails naming the row and the value; the empty cell is not compared

$ cd $T/r && rvalid validate -r r.yaml ok.csv
  PASSED  2 records: 2 valid, 0 invalid (rules r.yaml)

$ cd $T/r && rvalid validate -r r.yaml d.csv
  FAILED  5 records: 3 valid, 2 invalid (rules r.yaml)
  errors:
    country.references           2 of 4 failed: country must occur in column 'code' of countries.csv
        row 2 (line 3): 'DE'
        row 5 (line 6): 'us'
[1]

# ---- the path is relative to the rule file's folder, not the working directory

$ cd $T/r/sub && rvalid validate -q -r ../r.yaml ../ok.csv; echo "exit $?"
  exit 0

# ---- the same answers at every -j

$ cd $T/r && for j in 1 4; do rvalid validate -q -j$j -r r.yaml d.csv -f json | sed -E '/"(started_at|duration_s|threads)"/d' > j$j.json; done; cmp j1.json j4.json && echo same
  same

# ---- a referenced file that cannot be read: exit 3, before any record is read

$ cd $T/r && sed 's/countries.csv/nope.csv/' r.yaml > nofile.yaml && rvalid validate -r nofile.yaml d.csv
! rvalid: nofile.yaml:3:43: references: nope.csv: No such file or directory
[3]

$ cd $T/r && rvalid check nofile.yaml
! rvalid: nofile.yaml:3:43: references: nope.csv: No such file or directory
[3]

# ---- a referenced file without the column: exit 2, with a suggestion

$ cd $T/r && sed 's/column: code/column: cod/' r.yaml > nocol.yaml && rvalid validate -r nocol.yaml d.csv
! rvalid: nocol.yaml:3:43: references: countries.csv has no column 'cod' (did you mean 'code'?)
[2]

$ cd $T/r && rvalid check nocol.yaml
! rvalid: nocol.yaml:3:43: references: countries.csv has no column 'cod' (did you mean 'code'?)
[2]

# ---- a tab-separated referenced file (.tsv) is read as such

$ cd $T/r && printf 'code\tname\nDE\tGermany\n' > more.tsv && sed 's/countries.csv/more.tsv/' r.yaml > tsv.yaml &&
> rvalid validate -r tsv.yaml d.csv | head -2
  FAILED  5 records: 2 valid, 3 invalid (rules tsv.yaml)
  errors:
