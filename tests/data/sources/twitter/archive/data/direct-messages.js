window.YTD.direct_messages.part0 = [
  {
    "dmConversation" : {
      "conversationId" : "1000-2000",
      "messages" : [
        {
          "messageCreate" : { "recipientId" : "2000", "reactions" : [ ], "urls" : [ ], "text" : "Please send us your order number.", "mediaUrls" : [ ], "senderId" : "1000", "id" : "9002", "createdAt" : "2024-05-02T09:40:00.000Z", "editHistory" : [ ] }
        },
        {
          "messageCreate" : { "recipientId" : "1000", "reactions" : [ ], "urls" : [ ], "text" : "My parcel arrived broken, order 12345.", "mediaUrls" : [ ], "senderId" : "2000", "id" : "9001", "createdAt" : "2024-05-02T09:35:00.000Z", "editHistory" : [ ] }
        }
      ]
    }
  }
]
