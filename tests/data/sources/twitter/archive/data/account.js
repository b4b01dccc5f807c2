window.YTD.account.part0 = [
  {
    "account" : {
      "email" : "support@example-shop.test",
      "createdVia" : "web",
      "username" : "ExampleShopHelp",
      "accountId" : "1000",
      "createdAt" : "2019-01-02T10:00:00.000Z",
      "accountDisplayName" : "Example Shop Help"
    }
  }
]
