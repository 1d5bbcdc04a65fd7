schema = Schema({
  "été": Field(str, enum=["€"]),
})
