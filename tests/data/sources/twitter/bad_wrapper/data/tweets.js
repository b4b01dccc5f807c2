var tweets = [ { "tweet" : { "id_str" : "1", "full_text" : "x", "created_at" : "Thu May 02 09:30:00 +0000 2024" } } ]
